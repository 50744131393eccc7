// Reading the update feed from app-update.yml as electron-builder 26 writes it.
import { describe, expect, it } from 'vitest';
import { feedFromAppUpdateYml } from '../../../core/updates/feed.js';

const FILE = '/opt/Ashby Sync Console/resources/app-update.yml';

describe('feedFromAppUpdateYml', () => {
  it('reads a generic feed', () => {
    const text = 'provider: generic\nurl: https://downloads.example.com/ashby-sync-console\nchannel: latest\nupdaterCacheDirName: ashby-sync-console-updater\n';
    expect(feedFromAppUpdateYml(text, FILE)).toEqual({
      enabled: true,
      downloadUrl: 'https://downloads.example.com/ashby-sync-console',
      reason: '',
    });
  });

  it('reads a quoted url', () => {
    const text = "provider: generic\nurl: 'https://downloads.example.com/a b'\n";
    expect(feedFromAppUpdateYml(text, FILE).downloadUrl).toBe('https://downloads.example.com/a');
  });

  it('turns off the placeholder feed', () => {
    const feed = feedFromAppUpdateYml('provider: generic\nurl: https://updates.ashby-sync-console.invalid/\n', FILE);
    expect(feed.enabled).toBe(false);
    expect(feed.reason).toMatch(/without ASHBY_SYNC_UPDATE_URL/);
  });

  it('turns off a generic feed without url', () => {
    const feed = feedFromAppUpdateYml('provider: generic\nchannel: latest\n', FILE);
    expect(feed.enabled).toBe(false);
    expect(feed.reason).toContain(FILE);
  });

  it('links GitHub releases', () => {
    const feed = feedFromAppUpdateYml('owner: jackandjill\nrepo: ashby-sync-console\nprovider: github\n', FILE);
    expect(feed).toEqual({
      enabled: true,
      downloadUrl: 'https://github.com/jackandjill/ashby-sync-console/releases/latest',
      reason: '',
    });
  });

  it('keeps other providers on', () => {
    expect(feedFromAppUpdateYml('provider: s3\nbucket: releases\n', FILE)).toEqual({ enabled: true, downloadUrl: null, reason: '' });
  });
});
