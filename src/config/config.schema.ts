import { Type, type Static } from 'typebox'

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
      description: 'Folder of the embedded PGlite store, used when DATABASE_URL is not set.',
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
    DEMO_OFFERS: Type.Integer({
      minimum: 0,
      maximum: 5_000_000,
      default: 20_000,
      description: 'Number of generated demo offers loaded by the first start on an empty store (0: none).',
    }),
  },
  { $id: 'Config' },
)

export type Config = Readonly<Static<typeof ConfigSchema>>
