import Link from "next/link";

export default function NotFound() {
  return (
    <main>
      <div className="notice">
        <h2>Not found</h2>
        <p>There is no such run or prompt. It may have been deleted or renamed.</p>
        <p>
          <Link href="/" className="btn">
            See all runs
          </Link>
        </p>
      </div>
    </main>
  );
}
