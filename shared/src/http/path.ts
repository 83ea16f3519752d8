/**
 * A request target as it may be logged: the path alone. The query string can hold secrets (old tracking
 * links carry `?token=`), so no log line, metric or error message ever gets it.
 */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}
