import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { BrandMark } from "../components/brand-mark";
import "katex/dist/katex.min.css";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "LIM Studio", template: "%s · LIM Studio" },
  description: "Choose the prompts worth training on from RL reward logs (LIM, Learning Impact Measurement).",
};

export const viewport: Viewport = {
  colorScheme: "light dark",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <header className="topbar">
            <Link href="/" className="brand">
              <BrandMark />
              LIM Studio
            </Link>
            <nav aria-label="Site">
              <Link href="/">Runs</Link>
              <Link href="/sets">Sets</Link>
              <Link href="/compare">Compare</Link>
            </nav>
          </header>
          {children}
        </div>
      </body>
    </html>
  );
}
