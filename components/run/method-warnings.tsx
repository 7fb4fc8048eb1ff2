/** What the log cannot support for the chosen method, with what would fix it (lib/methods' methodWarnings). */
export function MethodWarnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="method-warnings" role="note" aria-label="Warnings about these scores" data-testid="method-warnings">
      <ul>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}
