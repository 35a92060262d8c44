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
