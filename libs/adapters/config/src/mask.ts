/**
 * A connection URL fit to print: the password (everything between the first `:` of the userinfo
 * and its last `@`, so a password holding `:` or `@` is hidden whole) becomes `***`.
 */
export function maskPassword(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  const at = url.lastIndexOf('@');
  if (at < 0) return url;
  if (!scheme || at < scheme[0].length) return `***${url.slice(at)}`;
  const userinfo = url.slice(scheme[0].length, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return url;
  return `${scheme[0]}${userinfo.slice(0, colon)}:***${url.slice(at)}`;
}
