// Reads the update feed from the app-update.yml electron-builder writes into a packaged app's
// resources from the `publish` section of electron-builder.yml. The file is flat `key: value`
// YAML, so a line match suffices and the yaml package need not ship in the app.

/** Host suffix scripts/package.sh uses when ASHBY_SYNC_UPDATE_URL is unset (RFC 2606 reserves .invalid). */
export const PLACEHOLDER_HOST_SUFFIX = '.invalid';

export interface UpdateFeed {
  enabled: boolean;
  /** Page with the installers for a manual download, when the provider has one. */
  downloadUrl: string | null;
  /** Cause shown in the UI when `enabled` is false; empty otherwise. */
  reason: string;
}

function field(text: string, key: string): string | null {
  const match = new RegExp(`^${key}:\\s*['"]?([^'"\\s]+)`, 'm').exec(text);
  return match?.[1] ?? null;
}

/** Returns the feed described by app-update.yml text read from `file`. */
export function feedFromAppUpdateYml(text: string, file: string): UpdateFeed {
  const provider = field(text, 'provider');
  if (provider === 'github') {
    const owner = field(text, 'owner');
    const repo = field(text, 'repo');
    const downloadUrl = owner && repo ? `https://github.com/${owner}/${repo}/releases/latest` : null;
    return { enabled: true, downloadUrl, reason: '' };
  }
  if (provider !== 'generic') return { enabled: true, downloadUrl: null, reason: '' };

  const url = field(text, 'url');
  let hostname: string;
  try {
    hostname = new URL(url ?? '').hostname;
  } catch {
    return { enabled: false, downloadUrl: null, reason: `Updates are off: ${file} has no valid url (found "${url ?? ''}").` };
  }
  if (hostname.endsWith(PLACEHOLDER_HOST_SUFFIX)) {
    return {
      enabled: false,
      downloadUrl: null,
      reason: 'Updates are off: this build was made without ASHBY_SYNC_UPDATE_URL, so it has no update server.',
    };
  }
  return { enabled: true, downloadUrl: url, reason: '' };
}
