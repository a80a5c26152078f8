/**
 * The public key every update feed must be signed with (Ed25519, SPKI PEM), pinned in the app: a compromised or
 * impersonated update server cannot turn its files into code on the posts without the private key, which IT keeps
 * offline. `npm run update-key -- <private key file>` makes a new pair and rewrites this file (docs/updates.md).
 * This key's private half was never kept: a build with it refuses every feed until IT pins its own.
 */
export const UPDATE_SIGNING_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAmXh7kSOS2ZG1md1ozh1mumICeRgKphr3di5GmPuOWUI=
-----END PUBLIC KEY-----
`
