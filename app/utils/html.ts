// Escaping for the few parts of resident pages written as HTML strings instead of React elements
// (the /places facet checkboxes and result rows: most of that page, rendered on every request).
// Browser-safe. Every text or attribute value from data goes through `escapeHtml`.

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text or a double-quoted attribute value made safe for HTML (names and areas come from open data). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}
