import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import fastifyStatic from '@fastify/static'
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Account, Application } from '../../domain/access/access.repository.js'
import type { AccessService } from '../../domain/access/access.service.js'
import { ORGANISATION_KINDS } from '../../domain/access/catalogue.schema.js'
import { lastDays, type UsageRepository } from '../../domain/usage/usage.js'
import { ConflictError, InvalidArgumentError, NotFoundError, TooManyAttemptsError, UnavailableError } from '../../shared/errors.js'
import { RETRY_AFTER_SECONDS } from '../offres/offres-errors.js'
import { renderApiPage } from './api-pages.js'
import { dailyTotals } from './chart.js'
import { CsrfTokens } from './csrf.js'
import type { Viewer } from './layout.js'
import { LEGAL_PAGES, type OperatorDetails } from './legal-pages.js'
import { renderMarkdown } from './markdown.js'
import { portalStylesheets } from './stylesheets.js'
import {
  MIN_PASSWORD_LENGTH,
  apisPage,
  applicationPage,
  applicationsPage,
  confirmPage,
  homePage,
  messagePage,
  signInPage,
  signUpPage,
  termsPage,
  type FieldErrors,
  type SignUpValues,
} from './pages.js'

/** What the portal needs: the access service, the call counts, a clock and two settings. */
export interface PortalDependencies {
  readonly access: AccessService
  readonly usage: UsageRepository
  readonly now: () => number
  /** Adds `Secure` to the cookies (the portal is served over HTTPS). */
  readonly secureCookies: boolean
  /** Calls per second of an application without a limit of its own. */
  readonly defaultRatePerSecond: number
  /** Who runs this deployment, for the legal pages (OPERATOR_* settings). */
  readonly operator?: OperatorDetails
}

/** The portal's session cookie: the value `access.signIn` returns. */
const SESSION_COOKIE = 'openemploi_session'
/** A random id binding the anti-forgery token of the sign-in and sign-up forms, before any session. */
const VISITOR_COOKIE = 'openemploi_visiteur'

/** The folder of the DSFR's built files, wherever the package manager put the package. */
const DSFR_DIR = join(dirname(createRequire(import.meta.url).resolve('@gouvfr/dsfr/package.json')), 'dist')

const USAGE_DAYS = 30
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const VISITOR_ID = /^[A-Za-z0-9_-]{32,64}$/

/** Fixed messages shown after a redirect: the query names one, so no text travels in URLs. */
const NOTICES: Readonly<Record<string, string>> = {
  bienvenue: 'Votre compte est créé et vous êtes connecté. Créez maintenant une application.',
  creee: 'L’application est créée.',
  'cgu-acceptees': 'Conditions acceptées : l’accès à l’API est accordé.',
  'cgu-en-attente': 'Conditions acceptées : l’accès à l’API sera ouvert après validation par un administrateur.',
  'secret-renouvele': 'Le secret est renouvelé. L’ancien secret et les jetons obtenus avec lui ne fonctionnent plus.',
  revoquee: 'L’application est révoquée : son secret et ses jetons ne fonctionnent plus.',
  deconnecte: 'Vous êtes déconnecté.',
}

/**
 * Pages forbid everything they do not need: scripts (the DSFR's only), styles, fonts and images
 * from the portal's own files only, nothing inline, forms posted to the portal only, never framed
 * (clickjacking).
 */
export const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  // Pages show an account's data, and once a secret: never stored by the browser or a proxy.
  'Cache-Control': 'no-store',
}

/** What the portal knows about the sender of a request. */
interface Visit {
  readonly viewer: Viewer
  /** Present together: a valid session. */
  readonly account: Account | undefined
  readonly session: string | undefined
  /** What the request's anti-forgery token must be bound to; undefined: no cookie, no valid form. */
  readonly binding: string | undefined
}

interface SignedIn {
  readonly viewer: Viewer
  readonly account: Account
  readonly session: string
}

interface ClientParams {
  clientId: string
}

interface TermsParams extends ClientParams {
  api: string
}

function field(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return ''
  const value: unknown = Reflect.get(body, name)
  return typeof value === 'string' ? value : ''
}

function notice(request: FastifyRequest): string | undefined {
  const message = field(request.query, 'message')
  return Object.hasOwn(NOTICES, message) ? NOTICES[message] : undefined
}

function send(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page)
}

/** The developer portal, mounted under /portail. */
export function portalRoutes(deps: PortalDependencies): FastifyPluginAsync {
  const { access } = deps
  const csrf = new CsrfTokens()
  const visits = new WeakMap<FastifyRequest, Visit>()

  return async (portal) => {
    const base = portal.prefix
    const cookieOptions = {
      httpOnly: true,
      sameSite: 'lax',
      path: base === '' ? '/' : base,
      secure: deps.secureCookies,
    } as const
    const hide = { schema: { hide: true } }

    if (!portal.hasContentTypeParser('application/x-www-form-urlencoded')) {
      await portal.register(formbody, { bodyLimit: 64 * 1024 })
    }
    if (!portal.hasRequestDecorator('cookies')) await portal.register(cookie)
    await portal.register(fastifyStatic, {
      root: DSFR_DIR,
      prefix: '/dsfr/',
      decorateReply: false,
      index: false,
      maxAge: '1d',
      setHeaders: (response) => {
        response.setHeader('X-Content-Type-Options', 'nosniff')
      },
    })

    await portal.register(portalStylesheets)

    const viewerOf = (request: FastifyRequest, account: Account | undefined, binding: string | undefined): Viewer => ({
      base,
      path: request.url.split('?')[0] ?? request.url,
      account,
      csrf: binding === undefined ? '' : csrf.token(binding),
    })

    /** Resolves the session cookie; gives a signed-out browser its visitor id (on GET) for its forms. */
    const identify = async (request: FastifyRequest, reply: FastifyReply): Promise<Visit> => {
      const session = request.cookies[SESSION_COOKIE]
      const account = session ? await access.sessionAccount(session) : undefined
      if (session && account) {
        const binding = `session:${session}`
        return { viewer: viewerOf(request, account, binding), account, session, binding }
      }
      if (session !== undefined) reply.clearCookie(SESSION_COOKIE, cookieOptions)
      let visitor = request.cookies[VISITOR_COOKIE]
      if (visitor === undefined || !VISITOR_ID.test(visitor)) {
        visitor = undefined
        if (request.method === 'GET') {
          visitor = randomBytes(32).toString('base64url')
          reply.setCookie(VISITOR_COOKIE, visitor, cookieOptions)
        }
      }
      const binding = visitor === undefined ? undefined : `visiteur:${visitor}`
      return { viewer: viewerOf(request, undefined, binding), account: undefined, session: undefined, binding }
    }

    const anonymous = (request: FastifyRequest): Viewer => viewerOf(request, undefined, undefined)

    const notFound = (reply: FastifyReply, viewer: Viewer): FastifyReply =>
      send(reply, 404, messagePage(viewer, { title: 'Page introuvable', text: 'La page demandée n’existe pas ou n’est pas accessible.', error: true }))

    /**
     * Every page first knows who asks; private pages send the signed-out to the sign-in form; every
     * POST must carry the token of the form the portal gave this browser, or changes nothing.
     */
    const guard = (pages: FastifyInstance, isPrivate: boolean): void => {
      pages.addHook('preHandler', async (request, reply) => {
        const visit = await identify(request, reply)
        visits.set(request, visit)
        if (isPrivate && !visit.account) return reply.redirect(`${base}/connexion`, 303)
        if (request.method === 'POST' && !csrf.verify(visit.binding, field(request.body, 'csrf'))) {
          return send(
            reply,
            403,
            messagePage(visit.viewer, {
              title: 'Formulaire expiré',
              text: 'Ce formulaire n’est plus valide (session expirée, ou cookies désactivés). Rechargez la page et recommencez.',
              error: true,
            }),
          )
        }
        return undefined
      })
    }

    const visitOf = (request: FastifyRequest): Visit => {
      const visit = visits.get(request)
      if (!visit) throw new Error('The portal guard did not run')
      return visit
    }

    const signedIn = (request: FastifyRequest): SignedIn => {
      const { viewer, account, session } = visitOf(request)
      if (!account || session === undefined) throw new Error('A private page was reached without a session')
      return { viewer, account, session }
    }

    /** The application if it is the account's; anything else is « not found », revealing nothing. */
    const ownApplication = async (clientId: string, account: Account): Promise<Application | undefined> => {
      try {
        const application = await access.application(clientId)
        return application.accountId === account.id ? application : undefined
      } catch (error) {
        if (error instanceof NotFoundError) return undefined
        throw error
      }
    }

    const applicationUrl = (clientId: string, message?: string): string =>
      `${base}/applications/${encodeURIComponent(clientId)}${message ? `?message=${message}` : ''}`

    portal.setNotFoundHandler(async (request, reply) => notFound(reply, (await identify(request, reply)).viewer))

    portal.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof UnavailableError) {
        const viewer = visits.get(request)?.viewer ?? anonymous(request)
        const page = messagePage(viewer, { title: 'Service momentanément indisponible', text: 'Le service ne peut pas répondre pour l’instant. Réessayez dans quelques secondes.', error: true })
        return send(reply.header('Retry-After', RETRY_AFTER_SECONDS), 503, page)
      }
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
      if (status >= 500) request.log.error({ err: error }, 'portal page failed')
      const viewer = visits.get(request)?.viewer ?? anonymous(request)
      return send(
        reply,
        status,
        messagePage(viewer, {
          title: status >= 500 ? 'Erreur du service' : 'Requête invalide',
          text: status >= 500 ? 'Une erreur inattendue est survenue. Réessayez dans quelques instants.' : 'La requête n’a pas pu être traitée.',
          error: true,
        }),
      )
    })

    // Public pages ------------------------------------------------------------------------------

    await portal.register((pages, _options, done) => {
      guard(pages, false)

      pages.get('/', hide, (request, reply) => send(reply, 200, homePage(visitOf(request).viewer, notice(request))))

      pages.get('/apis', hide, (request, reply) => send(reply, 200, apisPage(visitOf(request).viewer, access.catalogue.apis)))

      pages.get<{ Params: { api: string } }>('/apis/:api', hide, async (request, reply) => {
        const { viewer } = visitOf(request)
        const api = access.catalogue.get(request.params.api)
        if (!api) return notFound(reply, viewer)
        return send(reply, 200, await renderApiPage(viewer, api, { ...deps, catalogue: access.catalogue }))
      })

      for (const legal of LEGAL_PAGES) {
        pages.get(legal.path, hide, (request, reply) => send(reply, 200, legal.render(visitOf(request).viewer, deps.operator ?? {})))
      }

      pages.get<{ Params: { api: string } }>('/apis/:api/cgu', hide, (request, reply) => {
        const { viewer } = visitOf(request)
        const api = access.catalogue.get(request.params.api)
        if (!api) return notFound(reply, viewer)
        return send(reply, 200, termsPage(viewer, { api, terms: renderMarkdown(access.catalogue.terms(api.id), { headingOffset: 1 }) }))
      })

      pages.get('/inscription', hide, (request, reply) => {
        const { viewer, account } = visitOf(request)
        if (account) return reply.redirect(`${base}/applications`, 303)
        return send(reply, 200, signUpPage(viewer))
      })

      pages.post('/inscription', hide, async (request, reply) => {
        const body = request.body
        const values: SignUpValues = {
          email: field(body, 'email').trim(),
          name: field(body, 'name').trim(),
          kind: field(body, 'kind'),
          organisation: field(body, 'organisation').trim(),
        }
        const password = field(body, 'password')
        const errors: FieldErrors = {}
        if (values.email.length > 254 || !EMAIL.test(values.email)) {
          errors.email = 'Saisissez une adresse électronique valide, par exemple nom@domaine.fr.'
        }
        if (password.length < MIN_PASSWORD_LENGTH) {
          errors.password = `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`
        } else if (password.length > 1024) {
          errors.password = 'Le mot de passe doit compter 1 024 caractères au plus.'
        }
        if (values.name === '') errors.name = 'Saisissez votre nom.'
        else if (values.name.length > 200) errors.name = 'Le nom doit compter 200 caractères au plus.'
        if (!ORGANISATION_KINDS.some((kind) => kind === values.kind)) errors.kind = 'Choisissez le type de votre organisation.'
        if (values.organisation.length > 200) errors.organisation = 'Le nom de l’organisation doit compter 200 caractères au plus.'
        const { viewer } = visitOf(request)
        if (Object.keys(errors).length > 0) return send(reply, 400, signUpPage(viewer, { values, errors }))
        try {
          await access.createAccount({ ...values, organisation: values.organisation || undefined, password })
        } catch (error) {
          if (error instanceof ConflictError) {
            return send(reply, 409, signUpPage(viewer, { values, errors: { email: error.message } }))
          }
          if (error instanceof InvalidArgumentError) return send(reply, 400, signUpPage(viewer, { values, general: error.message }))
          throw error
        }
        let signed: Awaited<ReturnType<typeof access.signIn>>
        try {
          signed = await access.signIn(values.email, password, request.ip)
        } catch (error) {
          // The account exists now; an address over its limit signs in later.
          if (!(error instanceof TooManyAttemptsError)) throw error
          return reply.redirect(`${base}/connexion`, 303)
        }
        if (!signed) return reply.redirect(`${base}/connexion`, 303)
        reply.setCookie(SESSION_COOKIE, signed.session, cookieOptions)
        return reply.redirect(`${base}/applications?message=bienvenue`, 303)
      })

      pages.get('/connexion', hide, (request, reply) => {
        const { viewer, account } = visitOf(request)
        if (account) return reply.redirect(`${base}/applications`, 303)
        return send(reply, 200, signInPage(viewer, { notice: notice(request) }))
      })

      pages.post('/connexion', hide, async (request, reply) => {
        const { viewer, session: previous } = visitOf(request)
        const email = field(request.body, 'email').trim()
        const password = field(request.body, 'password')
        let signed: Awaited<ReturnType<typeof access.signIn>>
        try {
          // request.ip is the client's address behind the trusted proxies only (TRUST_PROXY).
          signed = password.length > 1024 ? undefined : await access.signIn(email, password, request.ip)
        } catch (error) {
          if (!(error instanceof TooManyAttemptsError)) throw error
          return send(reply.header('Retry-After', String(error.retryAfterSeconds)), 429, signInPage(viewer, { email, error: error.message }))
        }
        if (!signed) {
          return send(reply, 400, signInPage(viewer, { email, error: 'Adresse électronique ou mot de passe incorrect.' }))
        }
        if (previous !== undefined) await access.signOut(previous)
        reply.setCookie(SESSION_COOKIE, signed.session, cookieOptions)
        return reply.redirect(`${base}/applications`, 303)
      })
      done()
    })

    // Private pages -----------------------------------------------------------------------------

    await portal.register((pages, _options, done) => {
      guard(pages, true)

      pages.post('/deconnexion', hide, async (request, reply) => {
        const { session } = signedIn(request)
        await access.signOut(session)
        reply.clearCookie(SESSION_COOKIE, cookieOptions)
        return reply.redirect(`${base}/connexion?message=deconnecte`, 303)
      })

      pages.get('/applications', hide, async (request, reply) => {
        const { viewer, account } = signedIn(request)
        const applications = await access.applications({ accountId: account.id })
        return send(reply, 200, applicationsPage(viewer, { applications, apis: access.catalogue.apis, notice: notice(request) }))
      })

      pages.post('/applications', hide, async (request, reply) => {
        const { viewer, account, session } = signedIn(request)
        const name = field(request.body, 'name')
        try {
          const { application, credentials } = await access.createApplication(account.id, name)
          await access.putFlash(session, application.clientId, credentials.client_secret)
          return reply.redirect(applicationUrl(application.clientId, 'creee'), 303)
        } catch (error) {
          if (!(error instanceof InvalidArgumentError)) throw error
          const applications = await access.applications({ accountId: account.id })
          return send(reply, 400, applicationsPage(viewer, { applications, apis: access.catalogue.apis, name, error: error.message }))
        }
      })

      /**
       * The application page. A new secret comes from the session's flash, put by the form that
       * made it and taken by the first showing of this page: the redirect may land on any node,
       * the URL never carries it, and a reload shows it no more.
       */
      async function showApplication(
        reply: FastifyReply,
        viewer: Viewer,
        application: Application,
        options: { notice: string | undefined; secret: string | undefined },
      ): Promise<FastifyReply> {
        const days = lastDays(deps.now(), USAGE_DAYS)
        const rows = await deps.usage.clientDaily(application.clientId, days[0] ?? '')
        return send(
          reply,
          200,
          applicationPage(viewer, {
            application,
            apis: access.catalogue.apis,
            ratePerSecond: application.ratePerSecond ?? deps.defaultRatePerSecond,
            usage: dailyTotals(rows, days),
            ...(options.secret === undefined
              ? {}
              : {
                  credentials: {
                    credentials: { client_id: application.clientId, client_secret: options.secret },
                    rotated: application.secretRotatedAt !== null,
                  },
                }),
            notice: options.notice,
          }),
        )
      }

      pages.get<{ Params: ClientParams }>('/applications/:clientId', hide, async (request, reply) => {
        const { viewer, account, session } = signedIn(request)
        const application = await ownApplication(request.params.clientId, account)
        if (!application) return notFound(reply, viewer)
        const secret = await access.takeFlash(session, application.clientId)
        return showApplication(reply, viewer, application, { notice: notice(request), secret })
      })

      pages.get<{ Params: TermsParams }>('/applications/:clientId/cgu/:api', hide, async (request, reply) => {
        const { viewer, account } = signedIn(request)
        const application = await ownApplication(request.params.clientId, account)
        const api = access.catalogue.get(request.params.api)
        if (!application || !api) return notFound(reply, viewer)
        const terms = renderMarkdown(access.catalogue.terms(api.id), { headingOffset: 1 })
        return send(reply, 200, termsPage(viewer, { api, terms, application }))
      })

      pages.post<{ Params: TermsParams }>('/applications/:clientId/cgu/:api', hide, async (request, reply) => {
        const { viewer, account } = signedIn(request)
        const application = await ownApplication(request.params.clientId, account)
        const api = access.catalogue.get(request.params.api)
        if (!application || !api) return notFound(reply, viewer)
        const terms = renderMarkdown(access.catalogue.terms(api.id), { headingOffset: 1 })
        const refuse = (status: number, error: string) => send(reply, status, termsPage(viewer, { api, terms, application, error }))
        if (field(request.body, 'accept') !== 'oui') {
          return refuse(400, 'Cochez la case « J’ai lu et j’accepte… » pour accepter les conditions.')
        }
        if (application.subscriptions.some((item) => item.api === api.id && item.status === 'rejected')) {
          return refuse(409, 'Un administrateur a refusé l’accès de cette application à cette API.')
        }
        try {
          const subscription = await access.acceptTerms(application.clientId, api.id, field(request.body, 'version'), account.id)
          return reply.redirect(
            applicationUrl(application.clientId, subscription.status === 'granted' ? 'cgu-acceptees' : 'cgu-en-attente'),
            303,
          )
        } catch (error) {
          if (error instanceof InvalidArgumentError) return refuse(400, error.message)
          if (error instanceof ConflictError) return refuse(409, error.message)
          throw error
        }
      })

      for (const action of ['secret', 'revocation'] as const) {
        pages.get<{ Params: ClientParams }>(`/applications/:clientId/${action}`, hide, async (request, reply) => {
          const { viewer, account } = signedIn(request)
          const application = await ownApplication(request.params.clientId, account)
          if (!application) return notFound(reply, viewer)
          if (application.status === 'revoked') return reply.redirect(applicationUrl(application.clientId), 303)
          return send(reply, 200, confirmPage(viewer, application, action))
        })
      }

      pages.post<{ Params: ClientParams }>('/applications/:clientId/secret', hide, async (request, reply) => {
        const { viewer, account, session } = signedIn(request)
        const application = await ownApplication(request.params.clientId, account)
        if (!application) return notFound(reply, viewer)
        try {
          const credentials = await access.rotateSecret(application.clientId)
          await access.putFlash(session, application.clientId, credentials.client_secret)
          return reply.redirect(applicationUrl(application.clientId, 'secret-renouvele'), 303)
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error
          return send(reply, 409, messagePage(viewer, { title: 'Application révoquée', text: error.message, error: true }))
        }
      })

      pages.post<{ Params: ClientParams }>('/applications/:clientId/revocation', hide, async (request, reply) => {
        const { viewer, account } = signedIn(request)
        const application = await ownApplication(request.params.clientId, account)
        if (!application) return notFound(reply, viewer)
        if (application.status === 'active') await access.revoke(application.clientId)
        return reply.redirect(applicationUrl(application.clientId, 'revoquee'), 303)
      })
      done()
    })
  }
}
