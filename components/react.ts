/**
 * React wrappers (`@partneros/workflow-widgets/react`), made with @lit/react.
 *
 * React 19 sets properties on custom elements by itself, but it only knows
 * `on<Event>` props for the events it was told about; @lit/react maps each
 * custom event to a typed callback prop and passes every other prop as a
 * property (so `value` arrays, `data`, `strings` and `tags` arrive intact).
 * Importing this module registers the five elements (through their own modules).
 *
 * ```tsx
 * import { PosTagPicker } from '@partneros/workflow-widgets/react';
 * <PosTagPicker label="Tags" multiple value={tags} onChange={(e) => setTags(e.currentTarget.value as string[])} />
 * ```
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { PosErrorDetail } from './internal/picker.js';
import type { ExportCompletedDetail, ExportErrorDetail } from './pptx-export-progress/pptx-export-progress.component.js';
import { PosPptxExportProgress as PosPptxExportProgressElement } from './pptx-export-progress/pptx-export-progress.js';
import { PosSpecializationPicker as PosSpecializationPickerElement } from './specialization-picker/specialization-picker.js';
import { PosTagPicker as PosTagPickerElement } from './tag-picker/tag-picker.js';
import { PosTrainingPicker as PosTrainingPickerElement } from './training-picker/training-picker.js';
import { PosTriggerSelect as PosTriggerSelectElement } from './trigger-select/trigger-select.js';

/** The events every picker fires, as React props. */
const pickerEvents = {
  /** A user change of the value (read `event.currentTarget.value`). */
  onInput: 'input' as EventName<Event>,
  /** A user change of the value, right after `input`. */
  onChange: 'change' as EventName<Event>,
  /** Loading failed. */
  onPosError: 'pos-error' as EventName<CustomEvent<PosErrorDetail>>,
};

export const PosSpecializationPicker = createComponent({
  react: React,
  tagName: 'pos-specialization-picker',
  elementClass: PosSpecializationPickerElement,
  events: pickerEvents,
  displayName: 'PosSpecializationPicker',
});

export const PosTrainingPicker = createComponent({
  react: React,
  tagName: 'pos-training-picker',
  elementClass: PosTrainingPickerElement,
  events: pickerEvents,
  displayName: 'PosTrainingPicker',
});

export const PosTagPicker = createComponent({
  react: React,
  tagName: 'pos-tag-picker',
  elementClass: PosTagPickerElement,
  events: pickerEvents,
  displayName: 'PosTagPicker',
});

export const PosTriggerSelect = createComponent({
  react: React,
  tagName: 'pos-trigger-select',
  elementClass: PosTriggerSelectElement,
  events: pickerEvents,
  displayName: 'PosTriggerSelect',
});

export const PosPptxExportProgress = createComponent({
  react: React,
  tagName: 'pos-pptx-export-progress',
  elementClass: PosPptxExportProgressElement,
  events: {
    /** The file is ready: `detail` is `{ url, costCents, model }`. */
    onPosExportCompleted: 'pos-export-completed' as EventName<CustomEvent<ExportCompletedDetail>>,
    /** The run ended in `error`: `detail` is `{ message, code? }`. */
    onPosExportError: 'pos-export-error' as EventName<CustomEvent<ExportErrorDetail>>,
    onPosExportStateChange: 'pos-export-state-change' as EventName<CustomEvent<{ state: string }>>,
  },
  displayName: 'PosPptxExportProgress',
});

export type { PosErrorDetail, ExportCompletedDetail, ExportErrorDetail };
