import { Type, type Static } from 'typebox'

/** One trusted proxy: a name of proxy-addr's ranges, an IPv4 or IPv6 address, with an optional CIDR prefix. */
const PROXY = String.raw`(loopback|linklocal|uniquelocal|\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*(/\d{1,3})?)`

/** The Infotravail packages the product ships, by name: what DATASETS may list. */
export const DATASET_NAMES = ['rome', 'bmo', 'agences', 'imt', 'statistiques', 'offres'] as const

/** Every setting of the service, read from the environment once at start. */
export const ConfigSchema = Type.Object(
  {
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'TCP port of the HTTP server.' }),
    HOST: Type.String({
      minLength: 1,
      default: '127.0.0.1',
      description: 'Interface to listen on; 0.0.0.0 or :: to accept remote connections.',
    }),
    DATA_DIR: Type.String({
      minLength: 1,
      default: './var',
      description: 'Local folder of the embedded PGlite store (when DATABASE_URL is not set) and of the index’s offer-body cache (always).',
    }),
    DATABASE_URL: Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description: 'PostgreSQL connection URL (postgres://user@host:5432/db); the embedded store is used when absent.',
      }),
    ),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info', description: 'Minimum level of the JSON logs written to standard output.' },
    ),
    LOG_HEALTH_PROBES: Type.Boolean({
      default: false,
      description: 'true: requests to /health, /health/ready and /metrics are logged at info like the others; false: only their warnings and errors (monitors poll them every few seconds).',
    }),
    DEMO_OFFERS: Type.Integer({
      minimum: 0,
      maximum: 5_000_000,
      default: 20_000,
      description: 'Number of generated demo offers loaded by the first start on an empty store (0: none).',
    }),
    REDIS_URL: Type.Optional(
      Type.String({
        pattern: '^rediss?://',
        description: 'Redis URL (redis://host:6379); rate limits are then shared by every node, else kept per process.',
      }),
    ),
    ADMIN_TOKEN: Type.Optional(
      Type.String({
        minLength: 32,
        description: 'Bearer token of the administration API under /admin/ (32 characters at least); the API is off when absent.',
      }),
    ),
    TRUST_PROXY: Type.Optional(
      Type.String({
        pattern: `^\\s*${PROXY}(\\s*,\\s*${PROXY})*\\s*$`,
        description:
          'Addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For, -Proto and -Host are believed (comma-separated; also loopback, linklocal, uniquelocal), e.g. 127.0.0.1,::1. Unset: those headers are ignored and the client is the TCP peer. Portal sign-ins are throttled by the client’s address.',
      }),
    ),
    PUBLIC_URL: Type.Optional(
      Type.String({
        pattern: '^https?://[^/]+',
        description: 'Public base URL (https://api.example.fr): the OAuth2 issuer, and secure cookies when https.',
      }),
    ),
    TOKEN_TTL_SECONDS: Type.Integer({
      minimum: 60,
      maximum: 86_400,
      default: 1499,
      description: 'Lifetime of access tokens in seconds (the original: 1499).',
    }),
    RATE_LIMIT_PER_SECOND: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: 10,
      description: 'Calls per second per client and API, unless the client has its own limit.',
    }),
    RATE_LIMIT_REDIS_TIMEOUT_MS: Type.Integer({
      minimum: 10,
      maximum: 5_000,
      default: 250,
      description:
        'Longest wait for Redis per rate-limit decision, in milliseconds; beyond it the call is decided by the node’s own buckets (fail open). Generous enough for a loaded machine. /health says where limits are decided (limiteur: local, shared or fallback).',
    }),
    OFFER_TTL_DAYS: Type.Integer({
      minimum: 1,
      maximum: 3650,
      default: 60,
      description: 'Days after which an offer not updated expires and leaves search.',
    }),
    FEED_RETENTION_DAYS: Type.Integer({
      minimum: 1,
      maximum: 3650,
      default: 30,
      description: 'Days the change feed keeps superseded changes and closed offers’ tombstones; older cursors get 410.',
    }),
    INFOTRAVAIL_PUBLIC: Type.Boolean({
      default: false,
      description: 'true: the Infotravail v1 API (open data) is read without a token; false: a token with scope api_infotravailv1 is needed.',
    }),
    DATASETS: Type.String({
      pattern: '^(all|none|[a-z]+(,[a-z]+)*)$',
      default: 'all',
      description: `Infotravail packages loaded from the shipped data at start: all, none, or a comma-separated list (${DATASET_NAMES.join(',')}).`,
    }),
    DATASTORE_SQL_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      maximum: 60_000,
      default: 2000,
      description:
        'Statement timeout of datastore_search_sql, in milliseconds; a statement still running 500 ms later is stopped and its connection dropped (PostgreSQL), or its replica worker terminated (embedded store).',
    }),
    DATASTORE_SQL_MAX_BYTES: Type.Integer({
      minimum: 1024,
      maximum: 1_073_741_824,
      default: 16_777_216,
      description: 'Bytes of row text a datastore_search_sql answer may hold; rows past it are left out (records_truncated: true).',
    }),
    METRICS_TOKEN: Type.Optional(
      Type.String({
        minLength: 32,
        pattern: '^\\S+$',
        description: 'Bearer token of GET /metrics (32 characters at least); when absent, /metrics answers only direct connections from this host (no proxy).',
      }),
    ),
    OPERATOR_NAME: Type.Optional(
      Type.String({
        maxLength: 300,
        description: 'Who runs this deployment (company, administration or person): the publisher named by the portal’s legal notices, accessibility statement and personal data page.',
      }),
    ),
    OPERATOR_ADDRESS: Type.Optional(Type.String({ maxLength: 500, description: 'Postal address of the operator, for the portal’s legal notices.' })),
    OPERATOR_CONTACT: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'E-mail address or URL of a contact form where users reach the operator (accessibility, personal data); shown as a link.',
      }),
    ),
    OPERATOR_PUBLICATION_DIRECTOR: Type.Optional(
      Type.String({ maxLength: 300, description: 'Director of publication named by the portal’s legal notices.' }),
    ),
    OPERATOR_HOST: Type.Optional(Type.String({ maxLength: 500, description: 'Name and address of the host, for the portal’s legal notices.' })),
  },
  { $id: 'Config' },
)

export type Config = Readonly<Static<typeof ConfigSchema>>
