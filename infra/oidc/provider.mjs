// A local OpenID provider for development and tests: oidc-provider (the certified Node.js
// implementation) on 127.0.0.1, with its own login form (any password), one client for the portal,
// and a few people. It is not for production: a real deployment points the portal at its
// organization's provider (Entra ID, Okta, Keycloak...).
//
//   node provider.mjs PORT CLIENT_SECRET
//
// People (the login name is the account; any password):
//   operator          roles: ["portal-operator"]              -> the portal's operator role
//   tenant-<name>     tenant_id: "<name>-corp"                 -> mapped by the portal to tenant <name>
//   nobody            no role and no tenant                    -> signed in, with no access
// Any other login name is refused by the provider.
import Provider from 'oidc-provider';

const [port, clientSecret] = process.argv.slice(2);
if (!port || !clientSecret) {
  console.error('usage: node provider.mjs PORT CLIENT_SECRET');
  process.exit(2);
}

const issuer = `http://127.0.0.1:${port}`;

function account(id) {
  if (id === 'operator') {
    return { sub: id, name: 'Olivia Operator', roles: ['portal-operator'] };
  }
  if (/^tenant-[a-z0-9-]{1,40}$/.test(id)) {
    const tenant = id.slice('tenant-'.length);
    return { sub: id, name: `${tenant} user`, tenant_id: `${tenant}-corp` };
  }
  if (id === 'nobody') {
    return { sub: id, name: 'Nobody Mapped' };
  }
  return undefined;
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'maintenance-portal',
    client_secret: clientSecret,
    redirect_uris: ['http://127.0.0.1/signin-oidc'],
    post_logout_redirect_uris: ['http://127.0.0.1/signout-callback-oidc'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    profile: ['name'],
    portal: ['roles', 'tenant_id'],
  },
  scopes: ['openid', 'profile', 'portal'],
  async findAccount(ctx, id) {
    const claims = account(id);
    return claims && { accountId: id, async claims() { return claims; } };
  },
  // A local provider: its cookies are signed with a key of this run only.
  cookies: { keys: [crypto.randomUUID()] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
});

// The portal's address on loopback takes whatever port it was given (RFC 8252 allows this for
// loopback redirects): the registered path must match, the port may differ.
const loopbackAllowed = (registered) => function allowed(value) {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1'
      && registered.some((r) => new URL(r).pathname === url.pathname) && !url.search && !url.hash;
  } catch {
    return false;
  }
};
provider.Client.prototype.redirectUriAllowed = function (value) {
  return loopbackAllowed(this.redirectUris)(value);
};
provider.Client.prototype.postLogoutRedirectUriAllowed = function (value) {
  return loopbackAllowed(this.postLogoutRedirectUris)(value);
};

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
