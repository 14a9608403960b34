// Baseline for benchmark 5: the smallest React 19 app, built by the same Vite as the renderer.
import { createRoot } from 'react-dom/client';

function App() {
  return <h1>Softphone</h1>;
}

createRoot(document.getElementById('root') as HTMLElement).render(<App />);
