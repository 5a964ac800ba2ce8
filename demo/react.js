// The kit in a React 19 app, through the @lit/react wrappers
// (`@partneros/workflow-widgets/react`). Plain ES module: React.createElement
// instead of JSX. `npm run build` bundles it into /dist/demo/react.js.
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { PosTagPicker, PosTrainingPicker, PosTriggerSelect } from '@partneros/workflow-widgets/react';
import { ensureDemoSession } from './example-session.js';

function WorkflowStep() {
  const [trigger, setTrigger] = useState('deal_closed_won');
  const [tags, setTags] = useState(['onboarding']);
  const [trainings, setTrainings] = useState([]);
  const [error, setError] = useState('');
  return h(
    'form',
    { className: 'example' },
    h(PosTriggerSelect, { label: 'When', value: trigger, onChange: (e) => setTrigger(e.currentTarget.value) }),
    h(PosTagPicker, {
      label: 'Tags',
      multiple: true,
      value: tags,
      onChange: (e) => setTags(e.currentTarget.value),
      onPosError: (e) => setError(e.detail.message),
    }),
    // `tags` is an array property: @lit/react passes it as a property, not an attribute.
    h(PosTrainingPicker, {
      label: 'Trainings',
      multiple: true,
      tags,
      value: trainings,
      onChange: (e) => setTrainings(e.currentTarget.value),
    }),
    error && h('p', { role: 'alert' }, error),
    h('pre', { 'aria-label': 'React state' }, JSON.stringify({ trigger, tags, trainings }, null, 2)),
  );
}

await ensureDemoSession();
createRoot(document.getElementById('app')).render(h(WorkflowStep));
