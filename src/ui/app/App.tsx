export function App() {
  return (
    <main>
      <h1>fiat-studio</h1>
    </main>
  );
}
