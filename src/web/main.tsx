import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { i18nReady } from './i18n/i18n';

function render() {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The texts come first (one language, one small chunk); render anyway if they could not be loaded.
i18nReady.then(render, (error: unknown) => {
  console.error('Could not load the translations', error);
  render();
});
