// The Content-Security-Policy of the console's pages. Electron main sends it as a response header,
// the browser host sends it too, and renderer/index.html carries the same rules in a meta tag so
// they also hold for a page loaded from a file.

export interface CspOptions {
  /** Sources the page may connect to; the browser host passes its own WebSocket origin. */
  connectSrc: readonly string[];
}

/**
 * Builds the policy. Scripts only from the app's own files, no eval, no plugins, no frames.
 * Styles allow 'unsafe-inline' because Mantine writes its CSS variables into a <style> element
 * and React sets `style` attributes; scripts, the part an attacker needs, stay strict.
 */
export function contentSecurityPolicy(options: CspOptions): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', [...options.connectSrc]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
