/**
 * Central carries NIKs, photos and the kiosk's bearer token: only over https. Plain http is allowed to this machine
 * alone (the loopback addresses), where the demo and test centrals run and nothing crosses a network.
 */
export function isSecureCentralUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'https:') return true
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}
