import type { Application, Subscription, SubscriptionStatus } from '../../domain/access/access.repository.js'
import type { Credentials } from '../../domain/access/access.service.js'
import type { CatalogueApi, OrganisationKind } from '../../domain/access/catalogue.schema.js'
import { ORGANISATION_KINDS } from '../../domain/access/catalogue.schema.js'
import type { DailyCalls } from '../../domain/usage/usage.js'
import { docsLinks } from '../docs/links.js'
import { apiHref } from './api-summary.js'
import { dailyCallsChart, longDay } from './chart.js'
import { html, type HtmlValue, type SafeHtml } from './html.js'
import { alert, csrfField, inputGroup, layout, selectGroup, table, type Viewer } from './layout.js'

/** Minimum length of a portal password (the service checks it too). */
export const MIN_PASSWORD_LENGTH = 10

/** Labels of the organisation kinds. */
export const KIND_LABELS: Readonly<Record<OrganisationKind, string>> = {
  particulier: 'Particulier',
  entreprise: 'Entreprise',
  collectivite: 'Collectivité territoriale',
  ministere: 'Ministère ou service de l’État',
}

const SUBSCRIPTION_BADGES: Readonly<Record<SubscriptionStatus, { label: string; kind: string }>> = {
  granted: { label: 'Accordée', kind: 'success' },
  pending: { label: 'En attente de validation', kind: 'info' },
  rejected: { label: 'Refusée', kind: 'error' },
}

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' })

function dateTime(at: Date): string {
  return DATE_TIME.format(at)
}

function badge(label: string, kind?: string): SafeHtml {
  return html`<p class="fr-badge fr-badge--sm${kind ? ` fr-badge--${kind}` : ''}">${label}</p>`
}

function subscriptionBadge(subscription: Subscription | undefined): SafeHtml {
  if (!subscription) return badge('Non demandée')
  const { label, kind } = SUBSCRIPTION_BADGES[subscription.status]
  return badge(label, kind)
}

function applicationBadge(application: Application): SafeHtml {
  return application.status === 'active' ? badge('Active', 'success') : badge('Révoquée', 'error')
}

function applicationPath(viewer: Viewer, clientId: string, rest = ''): string {
  return `${viewer.base}/applications/${encodeURIComponent(clientId)}${rest}`
}

function backLink(href: string, label: string): SafeHtml {
  return html`<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="${href}">${label}</a></p>`
}

function notices(notice: string | undefined): SafeHtml | null {
  return notice === undefined ? null : alert('success', notice)
}

// Public pages --------------------------------------------------------------------------------

/** The home page. */
export function homePage(viewer: Viewer, notice?: string): string {
  const { base, account } = viewer
  const main = html`${notices(notice)}
<h1>Portail des développeurs OpenEmploi</h1>
<p class="fr-text--lead">Accédez en temps réel aux offres d’emploi et aux données du marché du travail avec l’API Offres d’emploi v2 et l’API Infotravail.</p>
${
  account
    ? html`<p>Vous êtes connecté en tant que <strong>${account.name}</strong> (${account.email}).</p>
<ul class="fr-btns-group fr-btns-group--inline-md">
<li><a class="fr-btn" href="${base}/applications">Mes applications</a></li>
<li><a class="fr-btn fr-btn--secondary" href="${base}/apis">Les API</a></li>
</ul>`
    : html`<ul class="fr-btns-group fr-btns-group--inline-md">
<li><a class="fr-btn" href="${base}/inscription">Créer un compte</a></li>
<li><a class="fr-btn fr-btn--secondary" href="${base}/connexion">Se connecter</a></li>
</ul>`
}
<h2 class="fr-mt-6w">Comment obtenir l’accès</h2>
<ol>
<li>Créez un compte avec votre adresse électronique.</li>
<li>Créez une application : son identifiant (<code>client_id</code>) et son secret (<code>client_secret</code>) s’affichent une seule fois.</li>
<li>Lisez et acceptez les conditions générales d’utilisation de chaque API dont vous avez besoin.</li>
<li>Demandez un jeton d’accès (OAuth2, <i lang="en">client credentials</i>) et appelez l’API avec lui.</li>
</ol>
<h2 class="fr-mt-6w">Obtenir un jeton</h2>
<pre><code>POST /connexion/oauth2/access_token?realm=%2Fpartenaire
Content-Type: application/x-www-form-urlencoded

grant_type=client_credentials&amp;client_id=…&amp;client_secret=…&amp;scope=api_offresdemploiv2%20o2dsoffre</code></pre>
<p>Le jeton s’envoie ensuite dans l’en-tête <code>Authorization: Bearer …</code> de chaque appel. Consultez la <a href="/docs">documentation de l’API</a>.</p>`
  return layout(viewer, { title: 'Accueil', main })
}

/** What the sign-up form was filled with (never the password). */
export interface SignUpValues {
  readonly email: string
  readonly name: string
  readonly kind: string
  readonly organisation: string
}

/** Field name → error message. */
export type FieldErrors = Partial<Record<string, string>>

function errorSummary(errors: FieldErrors, general: string | undefined): SafeHtml | null {
  const fields = Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined)
  if (general === undefined && fields.length === 0) return null
  // Each message links to its field, so that keyboard users reach it at once.
  return alert(
    'error',
    'Le formulaire contient des erreurs',
    general ?? html`<ul>${fields.map(([id, message]) => html`<li><a href="#${id}">${message}</a></li>`)}</ul>`,
  )
}

/** The sign-up form. */
export function signUpPage(viewer: Viewer, state: { values?: SignUpValues; errors?: FieldErrors; general?: string } = {}): string {
  const values = state.values ?? { email: '', name: '', kind: '', organisation: '' }
  const errors = state.errors ?? {}
  const main = html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
<h1>Créer un compte</h1>
${errorSummary(errors, state.general)}
<p class="fr-hint-text">Tous les champs sont obligatoires, sauf mention contraire.</p>
<form method="post" action="${viewer.base}/inscription" novalidate>
${csrfField(viewer)}
<fieldset class="fr-fieldset">
<legend class="fr-fieldset__legend">Vos identifiants</legend>
<div class="fr-fieldset__element">${inputGroup({ id: 'email', label: 'Adresse électronique', hint: 'Format attendu : nom@domaine.fr', type: 'email', value: values.email, error: errors.email, autocomplete: 'email', required: true, maxLength: 254 })}</div>
<div class="fr-fieldset__element">${inputGroup({ id: 'password', label: 'Mot de passe', hint: `${MIN_PASSWORD_LENGTH} caractères au moins`, type: 'password', error: errors.password, autocomplete: 'new-password', required: true, maxLength: 1024 })}</div>
</fieldset>
<fieldset class="fr-fieldset">
<legend class="fr-fieldset__legend">Vous</legend>
<div class="fr-fieldset__element">${inputGroup({ id: 'name', label: 'Nom et prénom', value: values.name, error: errors.name, autocomplete: 'name', required: true, maxLength: 200 })}</div>
<div class="fr-fieldset__element">${selectGroup({ id: 'kind', label: 'Type d’organisation', options: ORGANISATION_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })), value: values.kind, error: errors.kind, required: true })}</div>
<div class="fr-fieldset__element">${inputGroup({ id: 'organisation', label: 'Nom de l’organisation (facultatif)', value: values.organisation, error: errors.organisation, autocomplete: 'organization', maxLength: 200 })}</div>
</fieldset>
<button type="submit" class="fr-btn">Créer mon compte</button>
</form>
<p class="fr-mt-4w">Vous avez déjà un compte ? <a href="${viewer.base}/connexion">Se connecter</a></p>
</div></div>`
  return layout(viewer, { title: 'Créer un compte', main, hasError: state.general !== undefined || Object.keys(errors).length > 0 })
}

/** The sign-in form. */
export function signInPage(viewer: Viewer, state: { email?: string; error?: string; notice?: string } = {}): string {
  const main = html`<div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
${notices(state.notice)}
<h1>Se connecter</h1>
${state.error === undefined ? null : alert('error', 'Connexion impossible', state.error)}
<form method="post" action="${viewer.base}/connexion" novalidate>
${csrfField(viewer)}
<fieldset class="fr-fieldset">
<legend class="fr-fieldset__legend">Vos identifiants</legend>
<div class="fr-fieldset__element">${inputGroup({ id: 'email', label: 'Adresse électronique', hint: 'Format attendu : nom@domaine.fr', type: 'email', value: state.email ?? '', error: state.error, autocomplete: 'email', required: true, maxLength: 254 })}</div>
<div class="fr-fieldset__element">${inputGroup({ id: 'password', label: 'Mot de passe', type: 'password', autocomplete: 'current-password', required: true, maxLength: 1024 })}</div>
</fieldset>
<button type="submit" class="fr-btn">Se connecter</button>
</form>
<p class="fr-mt-4w">Pas encore de compte ? <a href="${viewer.base}/inscription">Créer un compte</a></p>
</div></div>`
  return layout(viewer, { title: 'Se connecter', main, hasError: state.error !== undefined })
}

/** The catalogue of APIs. */
export function apisPage(viewer: Viewer, apis: readonly CatalogueApi[]): string {
  const cards = apis.map(
    (api) => html`<div class="fr-col-12 fr-col-md-6">
<div class="fr-card">
<div class="fr-card__body"><div class="fr-card__content">
<h2 class="fr-card__title"><a href="${apiHref(api, viewer.base)}">${api.titre} ${api.version}</a></h2>
<p class="fr-card__desc">${api.accroche}</p>
<div class="fr-card__start">
<ul class="fr-tags-group" aria-label="Portées OAuth2">${api.scopes.map((scope) => html`<li><p class="fr-tag fr-tag--sm">${scope}</p></li>`)}</ul>
</div>
<div class="fr-card__end">
<p class="fr-card__detail">Accès ${api.acces}</p>
<p class="fr-card__detail">Chemin de base : ${api.cheminBase}</p>
</div>
</div>
<div class="fr-card__footer">
<ul class="fr-btns-group fr-btns-group--inline-lg">
<li><a class="fr-btn fr-btn--secondary" href="${docsLinks(api).reference}">Documentation<span class="fr-sr-only"> de l’API ${api.titre}</span></a></li>
<li><a class="fr-btn fr-btn--tertiary" href="${viewer.base}/apis/${encodeURIComponent(api.id)}/cgu">Conditions d’utilisation<span class="fr-sr-only"> de l’API ${api.titre}</span></a></li>
</ul>
</div>
</div>
</div>
</div>`,
  )
  const main = html`<h1>Les API</h1>
<p>Chaque API s’utilise avec une application dont le responsable a accepté ses conditions générales d’utilisation.${
    viewer.account ? null : html` <a href="${viewer.base}/inscription">Créez un compte</a> pour demander l’accès.`
  }</p>
<div class="fr-grid-row fr-grid-row--gutters">
${cards}
</div>`
  return layout(viewer, { title: 'Les API', main })
}

/** The terms of one API, to read (and, for an application, to accept). */
export function termsPage(
  viewer: Viewer,
  state: {
    api: CatalogueApi
    terms: SafeHtml
    application?: Application
    error?: string
    status?: number
  },
): string {
  const { api, application } = state
  const subscription = application?.subscriptions.find((item) => item.api === api.id)
  let form: HtmlValue = null
  if (application && application.status === 'revoked') {
    form = alert('info', 'Application révoquée', 'Une application révoquée ne peut plus souscrire à une API.')
  } else if (application && subscription?.status === 'rejected') {
    form = alert('info', 'Accès refusé', 'Un administrateur a refusé l’accès de cette application à cette API.')
  } else if (application && subscription && subscription.termsVersion === api.cgu.version) {
    form = alert('info', 'Conditions déjà acceptées', `Ces conditions ont été acceptées le ${dateTime(subscription.acceptedAt)}.`)
  } else if (application) {
    const error = state.error
    form = html`<form method="post" action="${applicationPath(viewer, application.clientId, `/cgu/${encodeURIComponent(api.id)}`)}" novalidate>
${csrfField(viewer)}
<input type="hidden" name="version" value="${api.cgu.version}">
<fieldset class="fr-fieldset${error ? ' fr-fieldset--error' : ''}" id="acceptation"${error ? html` aria-labelledby="acceptation-legende acceptation-messages"` : null}>
<legend class="fr-fieldset__legend fr-text--regular" id="acceptation-legende">Acceptation pour l’application « ${application.name} »</legend>
<div class="fr-fieldset__element">
<div class="fr-checkbox-group">
<input type="checkbox" id="accept" name="accept" value="oui"${error ? html` aria-describedby="acceptation-messages"` : null}>
<label class="fr-label" for="accept">J’ai lu et j’accepte les conditions générales d’utilisation de l’API ${api.titre} (version ${api.cgu.version})</label>
</div>
</div>
<div class="fr-messages-group" id="acceptation-messages" aria-live="polite">${error ? html`<p class="fr-message fr-message--error">${error}</p>` : null}</div>
</fieldset>
<button type="submit" class="fr-btn">Accepter les conditions</button>
</form>`
  }
  const main = html`${
    application
      ? backLink(applicationPath(viewer, application.clientId), `Retour à l’application ${application.name}`)
      : backLink(`${viewer.base}/apis`, 'Retour aux API')
  }
<h1>Conditions générales d’utilisation de l’API ${api.titre}</h1>
${state.error ? alert('error', 'Les conditions ne sont pas acceptées', state.error) : null}
<p class="fr-text--sm">Version ${api.cgu.version} du ${longDay(api.cgu.date)}.</p>
<div class="fr-mb-4w fr-p-3w fr-card fr-card--no-border">
${state.terms}
</div>
${form}`
  return layout(viewer, { title: `Conditions d’utilisation — ${api.titre}`, main, hasError: state.error !== undefined })
}

// Private pages -------------------------------------------------------------------------------

/** The viewer's applications, and the form to create one. */
export function applicationsPage(
  viewer: Viewer,
  state: { applications: readonly Application[]; apis: readonly CatalogueApi[]; name?: string; error?: string; notice?: string },
): string {
  const titles = new Map(state.apis.map((api) => [api.id, api.titre]))
  // The client id under the name: three columns fit a phone's width.
  const rows = state.applications.map(
    (application) => html`<tr>
<td><a href="${applicationPath(viewer, application.clientId)}">${application.name}</a><br><span class="fr-text--xs">Identifiant client : <code>${application.clientId}</code></span></td>
<td>${applicationBadge(application)}</td>
<td>${
      application.subscriptions.length === 0
        ? 'Aucune'
        : html`<ul class="fr-raw-list">${application.subscriptions.map(
            (subscription) => html`<li class="fr-mb-1v">${titles.get(subscription.api) ?? subscription.api} : ${subscriptionBadge(subscription)}</li>`,
          )}</ul>`
    }</td>
</tr>`,
  )
  const main = html`${notices(state.notice)}
<h1>Mes applications</h1>
${state.error === undefined ? null : alert('error', 'L’application n’est pas créée', state.error)}
${
  state.applications.length === 0
    ? html`<p>Vous n’avez encore aucune application.</p>`
    : table({ caption: 'Vos applications', head: ['Application', 'Statut', 'API'], rows, captionHidden: true })
}
<h2 class="fr-mt-6w">Créer une application</h2>
<form method="post" action="${viewer.base}/applications" novalidate class="fr-col-12 fr-col-md-8 fr-col-lg-6">
${csrfField(viewer)}
${inputGroup({ id: 'name', label: 'Nom de l’application', hint: '100 caractères au plus, par exemple « Mon site d’offres »', value: state.name ?? '', error: state.error, required: true, maxLength: 100 })}
<button type="submit" class="fr-btn fr-icon-add-line fr-btn--icon-left">Créer l’application</button>
</form>`
  return layout(viewer, { title: 'Mes applications', main, hasError: state.error !== undefined })
}

function credentialsBlock(credentials: Credentials, rotated: boolean): SafeHtml {
  return html`<div class="fr-callout fr-mb-4w" id="identifiants">
<h2 class="fr-callout__title">${rotated ? 'Votre nouveau secret' : 'Les identifiants de votre application'}</h2>
<p class="fr-callout__text">Copiez le secret maintenant : il ne sera plus jamais affiché. Conservez-le hors du code source ; s’il est perdu ou divulgué, renouvelez-le.</p>
<div class="fr-input-group fr-mt-3w"><label class="fr-label" for="client_id">client_id</label><input class="fr-input" id="client_id" type="text" readonly value="${credentials.client_id}" autocomplete="off" spellcheck="false"></div>
<div class="fr-input-group"><label class="fr-label" for="client_secret">client_secret</label><input class="fr-input" id="client_secret" type="text" readonly value="${credentials.client_secret}" autocomplete="off" spellcheck="false"></div>
</div>`
}

/** One application: identifiers, subscriptions, usage, and what can be done with it. */
export function applicationPage(
  viewer: Viewer,
  state: {
    application: Application
    apis: readonly CatalogueApi[]
    ratePerSecond: number
    usage: readonly DailyCalls[]
    credentials?: { credentials: Credentials; rotated: boolean }
    notice?: string
  },
): string {
  const { application } = state
  const active = application.status === 'active'
  const rows = state.apis.map((api) => {
    const subscription = application.subscriptions.find((item) => item.api === api.id)
    const outdated = subscription !== undefined && subscription.termsVersion !== api.cgu.version
    const termsHref = applicationPath(viewer, application.clientId, `/cgu/${encodeURIComponent(api.id)}`)
    const label = !subscription ? 'Lire et accepter les conditions' : outdated ? 'Lire les nouvelles conditions' : 'Relire les conditions'
    const link = active ? html`<a class="fr-link" href="${termsHref}">${label}<span class="fr-sr-only"> de l’API ${api.titre}</span></a>` : null
    const accepted = subscription ? `Version ${subscription.termsVersion}, acceptée le ${dateTime(subscription.acceptedAt)}` : null
    // The terms and what to do with them in one cell: three columns fit a phone's width.
    return html`<tr>
<td>${api.titre} ${api.version}</td>
<td>${subscriptionBadge(subscription)}</td>
<td>${accepted}${accepted && link ? html`<br>` : null}${link ?? (accepted ? null : '—')}</td>
</tr>`
  })
  const main = html`${backLink(`${viewer.base}/applications`, 'Mes applications')}
${notices(state.notice)}
<h1>${application.name}</h1>
${state.credentials ? credentialsBlock(state.credentials.credentials, state.credentials.rotated) : null}
<dl class="fr-mb-4w">
<dt class="fr-text--bold">Identifiant client (client_id)</dt><dd><code>${application.clientId}</code></dd>
<dt class="fr-text--bold">Statut</dt><dd>${applicationBadge(application)}</dd>
<dt class="fr-text--bold">Créée le</dt><dd>${dateTime(application.createdAt)}</dd>
${application.secretRotatedAt ? html`<dt class="fr-text--bold">Secret renouvelé le</dt><dd>${dateTime(application.secretRotatedAt)}</dd>` : null}
${application.revokedAt ? html`<dt class="fr-text--bold">Révoquée le</dt><dd>${dateTime(application.revokedAt)}</dd>` : null}
<dt class="fr-text--bold">Limite</dt><dd>${state.ratePerSecond} ${state.ratePerSecond >= 2 ? 'appels' : 'appel'} par seconde et par API</dd>
</dl>
<h2>Souscriptions</h2>
${table({ caption: 'Souscriptions de l’application aux API', head: ['API', 'Statut', 'Conditions d’utilisation'], rows, captionHidden: true })}
<h2 class="fr-mt-6w">Appels des 30 derniers jours</h2>
${dailyCallsChart(state.usage, { id: 'appels', title: `Appels par jour de l’application ${application.name}, sur les 30 derniers jours` })}
${
  active
    ? html`<h2 class="fr-mt-6w">Gérer l’application</h2>
<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
<li><a class="fr-btn fr-btn--secondary fr-icon-refresh-line" href="${applicationPath(viewer, application.clientId, '/secret')}">Renouveler le secret</a></li>
<li><a class="fr-btn fr-btn--tertiary fr-icon-delete-line" href="${applicationPath(viewer, application.clientId, '/revocation')}">Révoquer l’application</a></li>
</ul>`
    : null
}`
  return layout(viewer, { title: application.name, main })
}

/** Asks to confirm a secret rotation or a revocation. */
export function confirmPage(viewer: Viewer, application: Application, action: 'secret' | 'revocation'): string {
  const rotate = action === 'secret'
  const title = rotate ? 'Renouveler le secret' : 'Révoquer l’application'
  const main = html`${backLink(applicationPath(viewer, application.clientId), `Retour à l’application ${application.name}`)}
<h1>${title} « ${application.name} »</h1>
${
  rotate
    ? alert('warning', 'Attention', 'Un nouveau secret sera créé et affiché une seule fois. L’ancien secret et tous les jetons obtenus avec lui cesseront immédiatement de fonctionner.')
    : alert('warning', 'Cette action est définitive', 'Le secret et tous les jetons de l’application cesseront immédiatement de fonctionner, et l’application ne pourra plus être utilisée.')
}
<form method="post" action="${applicationPath(viewer, application.clientId, rotate ? '/secret' : '/revocation')}">
${csrfField(viewer)}
<ul class="fr-btns-group fr-btns-group--inline-md">
<li><button type="submit" class="fr-btn">${rotate ? 'Confirmer le renouvellement' : 'Confirmer la révocation'}</button></li>
<li><a class="fr-btn fr-btn--secondary" href="${applicationPath(viewer, application.clientId)}">Annuler</a></li>
</ul>
</form>`
  return layout(viewer, { title: `${title} — ${application.name}`, main })
}

/** A page that only says something: forbidden, not found, failure. */
export function messagePage(viewer: Viewer, state: { title: string; text: string; error?: boolean }): string {
  const main = html`<h1>${state.title}</h1>
<p>${state.text}</p>
<p><a class="fr-link" href="${viewer.base || '/'}">Retour à l’accueil du portail</a></p>`
  return layout(viewer, { title: state.title, main, hasError: state.error ?? false })
}
