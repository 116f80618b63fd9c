/// <reference types="vite/client" />

/** True in the e2e build (`vite build --mode e2e`): the app exposes its test API on `window`. */
declare const __E2E__: boolean;
