import { CopyCommand } from "./copy-command";

/** The database could not be opened: say which one and what to try. */
export function DatabaseError({ url, message }: { url: string; message: string }) {
  return (
    <main>
      <div className="notice error" role="alert">
        <h2>The database cannot be opened</h2>
        <p>
          LIM Studio reads its runs from <code>{url}</code> (set <code>DATABASE_URL</code> to use another file).
        </p>
        <p className="mono">{message}</p>
        <p>Check that the directory exists and is writable, that no other program holds the file, and that the path is right. Then reload this page. To start over with an empty database:</p>
        <CopyCommand command="DATABASE_URL=file:./data/fresh.db npm start" />
      </div>
    </main>
  );
}
