// The headers a page gets from the proxy, per response. The ones that never change (nosniff,
// X-Frame-Options, Referrer-Policy, the API's CSP) are in next.config.mjs, which applies them to
// every route, the callback included, without running the proxy there.

/** A fresh nonce per page response: Next puts it on the inline scripts it renders. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Scripts only with this response's nonce ('strict-dynamic' lets those load Next's chunks);
 * styles may be inline, because React renders style attributes (which a nonce cannot cover) and
 * an injected style cannot run code. `next dev` also needs eval for its debugging tools.
 */
export function pageContentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * HSTS only when the console is published over https. Sent on pages, which is where browsers go;
 * the callback and the token endpoint are called by servers. No includeSubDomains: PUBLIC_URL may
 * be the apex of a domain whose other hosts are not ours to decide for.
 */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl && /^https:\/\//i.test(publicUrl) ? "max-age=31536000" : null;
}
