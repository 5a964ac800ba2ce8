// The kit in a Vue 3 app: the elements are used as they are, `v-model` binds
// their `value` (Vue listens to `input` and reads `value`). Vue is told the
// `pos-` tags are custom elements, so it does not try to resolve them as
// components. `npm run build` bundles this into /dist/demo/vue.js.
import { createApp, ref } from 'vue';
import '@partneros/workflow-widgets';
import { ensureDemoSession } from './example-session.js';

const app = createApp({
  setup() {
    const trigger = ref('partner_agreement_signed');
    const specialization = ref('');
    const tags = ref(['onboarding']);
    const trainings = ref([]);
    return { trigger, specialization, tags, trainings };
  },
  template: `
    <form class="example">
      <pos-trigger-select label="When" v-model="trigger"></pos-trigger-select>
      <pos-specialization-picker label="Specialization" v-model="specialization"></pos-specialization-picker>
      <pos-tag-picker label="Tags" multiple v-model="tags"></pos-tag-picker>
      <pos-training-picker label="Trainings" multiple :tags="tags" :specializationId="specialization" v-model="trainings"></pos-training-picker>
      <pre aria-label="Vue state">{{ JSON.stringify({ trigger, specialization, tags, trainings }, null, 2) }}</pre>
    </form>`,
});
app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('pos-');

await ensureDemoSession();
app.mount('#app');
