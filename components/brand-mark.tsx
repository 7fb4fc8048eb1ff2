/** The app's mark: the model average (grey) and one prompt's curve (accent). */
export function BrandMark({ size = 20 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="6" fill="var(--bg-soft)" stroke="var(--border)" />
      <path d="M5 25 C11 25 12 20 16 15 S22 7 27 7" fill="none" stroke="var(--avg)" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M5 27 C12 27 14 22 17 17 S23 9 27 9" fill="none" stroke="var(--accent)" strokeWidth="2.5" strokeLinecap="round" />
    </svg>
  );
}
