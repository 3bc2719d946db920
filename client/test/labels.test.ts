// The one name of a client, as the session list and the activity page both show it.
import { describe, expect, it } from 'vitest';
import { clientLabel } from '../src/labels';

const UA = {
  macSafari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  linuxChrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  windowsFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  windowsEdge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
};

describe('client labels', () => {
  it('name a browser with its major version and the system with its version', () => {
    expect(clientLabel(UA.macSafari)).toBe('Safari 17 on macOS 14.4');
    expect(clientLabel(UA.iphone)).toBe('Safari 17 on iOS 17.5');
    expect(clientLabel(UA.linuxChrome)).toBe('Chrome 126 on Linux');
    expect(clientLabel(UA.windowsFirefox)).toBe('Firefox 127 on Windows 10');
    expect(clientLabel(UA.windowsEdge)).toBe('Edge 126 on Windows 10');
    expect(clientLabel(UA.android)).toBe('Chrome 126 on Android 14');
  });

  it('name an API client by its user agent, not "Unknown client"', () => {
    expect(clientLabel('curl/8.5.0')).toBe('curl 8.5.0');
    expect(clientLabel('node')).toBe('node');
    expect(clientLabel('python-requests/2.31.0')).toBe('python-requests 2.31.0');
    expect(clientLabel('Go-http-client/1.1')).toBe('Go-http-client 1.1');
    expect(clientLabel('Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A)')).toBe('Dalvik 2.1.0 on Android 14');
  });

  it('keep a long unknown agent short, and say so when there is none', () => {
    const label = clientLabel(`${'x'.repeat(80)}/1.0`);
    expect(label.length).toBeLessThanOrEqual(41);
    expect(label.endsWith('…')).toBe(true);
    expect(clientLabel(null)).toBe('Unknown client');
    expect(clientLabel('   ')).toBe('Unknown client');
  });
});
