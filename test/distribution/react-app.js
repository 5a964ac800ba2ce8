// The React side of react.test.ts (plain JS: its imports exist only after a
// build), bundled with React 19 and the kit's built dist/react.js by
// bundles.mjs and loaded as react-app.bundle.js.
import * as React from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as wrappers from '../../dist/react.js';

export { React, createRoot, flushSync, wrappers };
