import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app/App.tsx';
import { bootStudio } from './ui/app/boot.ts';
import './ui/app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

void bootStudio();
if (__E2E__) {
  // Dynamic import: the test API is not even in the e2e build's initial chunk.
  void import('./ui/testing/test-api.ts').then((m) => m.installTestApi());
}

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
