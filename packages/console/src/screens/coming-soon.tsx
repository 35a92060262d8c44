/** A screen of the navigation that is not built yet: the link stays, so the shell shows where it will be. */
export function ComingSoon({ title }: { title: string }) {
  return (
    <section className="screen" aria-labelledby="coming-soon-title">
      <h1 id="coming-soon-title">{title}</h1>
      <div className="empty">
        <p>This screen is coming soon. Until then, the same data is in the API under /v1 (see /openapi.json).</p>
      </div>
    </section>
  );
}

/** A path inside /app/ that is no screen: a typo or an old bookmark. */
export function NotFound() {
  return (
    <section className="screen" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <div className="empty">
        <p>
          There is no such page in the console. <a href="/app/offers">Go to the offers</a>.
        </p>
      </div>
    </section>
  );
}
