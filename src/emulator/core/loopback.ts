// The emulator only ever sends requests to this machine (webhooks, URL jobs): it has no network,
// and it must not become a way to reach other hosts.

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1']

export const isLoopback = (url: URL): boolean => LOOPBACK_HOSTS.includes(url.hostname)
