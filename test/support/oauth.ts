/**
 * Asks a listening server for a token the way the original's clients do: realm in the query,
 * client credentials and scopes in a form body.
 */
export function requestToken(
  origin: string,
  credentials: { clientId: string; secret: string },
  options: { realm?: string; scope?: string } = {},
): Promise<Response> {
  return fetch(`${origin}/connexion/oauth2/access_token?realm=${options.realm ?? '%2Fpartenaire'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.secret,
      scope: options.scope ?? 'api_offresdemploiv2 o2dsoffre',
    }),
  })
}
