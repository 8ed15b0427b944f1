export function SiteHeader({ greeting }: { greeting: string }) {
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <a className="brand" href="/">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="8" />
            <path d="M9 23 16 8l7 15h-4l-3-7-3 7z" />
          </svg>
          <span>Atlas</span>
        </a>
        <p className="greeting">{greeting}</p>
      </div>
    </header>
  );
}
