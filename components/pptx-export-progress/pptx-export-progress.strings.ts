/**
 * Every text `<pos-pptx-export-progress>` shows or announces. Hosts override
 * any of them through the `strings` property (a partial object, merged over
 * these defaults), e.g. to translate the element.
 */
export interface PptxExportProgressStrings {
  /** The idle state's button, which dispatches the export. */
  export: string;
  /** Shown while the export request is on its way. */
  dispatching: string;
  /**
   * Shown, and announced once, while the export waits for a connection: the
   * page's other exports use the connections a browser keeps to the API
   * (over HTTP/1.1; see the element's `stream-limit`). Not a failure.
   */
  queued: string;
  /** Shown while the stream is being opened. */
  connecting: string;
  /** Shown while the server generates the file. */
  waiting: string;
  /** Shown while the connection is re-established (`attempt` of `max`). */
  reconnecting: (attempt: number, max: number) => string;
  /** The progress bar's accessible name; `title` is the lesson title when known. */
  progressLabel: (title: string | undefined) => string;
  /** The elapsed time (never announced); `time` is `seconds` as a clock in the element's locale (`0:07`). */
  elapsed: (seconds: number, time: string) => string;
  /** The liveness sign's accessible name while heartbeats arrive. */
  alive: string;
  /** Announced once when an export starts. */
  started: string;
  /** Announced once, and shown, when the file is ready. */
  completed: string;
  /** The download link's text; `fileName` is the file's name. */
  download: (fileName: string) => string;
  /** Label of the cost. */
  cost: string;
  /** Label of the model. */
  model: string;
  /** Heading of the error state (the message follows it). */
  failed: string;
  /** Heading of the error state on a 401: the session is missing or expired (Retry stays: the host may sign in again). */
  signedOut: string;
  /** Heading of the error state on a 403: the user's role may not export (no Retry). */
  forbidden: string;
  /** Heading of the error state on a 402: the export allowance is spent (no Retry). */
  quotaExceeded: string;
  /**
   * Announced once on failure; `message` is the server's sentence or one of the
   * texts below, `heading` the error state's heading (`failed` or one of the three above).
   */
  failedAnnouncement: (message: string, heading: string) => string;
  retry: string;
  cancel: string;
  /** The element has no `lesson-id`. */
  noLesson: string;
  /** Reconnecting gave up after `max` attempts. */
  connectionLost: (max: number) => string;
}

export const DEFAULT_STRINGS: PptxExportProgressStrings = {
  export: 'Export to PowerPoint',
  dispatching: 'Starting the export…',
  queued: 'Waiting to connect…',
  connecting: 'Connecting to the server…',
  waiting: 'Generating the presentation…',
  reconnecting: (attempt, max) => `Connection lost. Reconnecting (attempt ${attempt} of ${max})…`,
  progressLabel: (title) => (title ? `Exporting “${title}” to PowerPoint` : 'Exporting the lesson to PowerPoint'),
  elapsed: (_seconds, time) => `${time} elapsed`,
  alive: 'The server is working on it',
  started: 'The PowerPoint export has started.',
  completed: 'Your presentation is ready.',
  download: (fileName) => `Download ${fileName}`,
  cost: 'Cost',
  model: 'Model',
  failed: 'The export did not finish',
  signedOut: 'You are signed out',
  forbidden: 'You do not have access to exports',
  quotaExceeded: 'Your plan’s export allowance is used up',
  failedAnnouncement: (message, heading) => `${heading}. ${message}`,
  retry: 'Retry',
  cancel: 'Cancel',
  noLesson: 'No lesson is selected to export.',
  connectionLost: (max) =>
    `The connection to the server was lost, and ${max} attempts to reconnect failed. Check your connection and retry.`,
};
