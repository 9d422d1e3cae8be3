import { html, safeUrl, type SafeHtml } from './html.js'
import { layout, type Viewer } from './layout.js'

/**
 * The pages every DSFR footer links to: the accessibility statement, the legal notices, personal
 * data and cookies. OpenEmploi is run by whoever deploys it: that operator is the publisher, named
 * by the OPERATOR_* settings; a detail left unset is shown as such, naming its setting.
 */

/** Who runs this deployment (the OPERATOR_* settings). */
export interface OperatorDetails {
  /** The publisher: a company, an administration, a person. */
  readonly name?: string | undefined
  readonly address?: string | undefined
  /** An e-mail address or the URL of a contact form. */
  readonly contact?: string | undefined
  readonly publicationDirector?: string | undefined
  /** The host's name and address. */
  readonly host?: string | undefined
}

/** The day this statement was written, with the checks it reports. */
const STATEMENT_DATE = '7 décembre 2026'

function unset(setting: string): SafeHtml {
  return html`<em>non renseigné par l’exploitant (réglage <code>${setting}</code>)</em>`
}

function detail(value: string | undefined, setting: string): SafeHtml | string {
  return value ?? unset(setting)
}

function contact(operator: OperatorDetails): SafeHtml {
  const value = operator.contact
  if (value === undefined) return unset('OPERATOR_CONTACT')
  if (/^https?:\/\//.test(value)) return html`<a href="${safeUrl(value)}">${value}</a>`
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return html`<a href="mailto:${value}">${value}</a>`
  return html`${value}`
}

/** The publisher's name; unset, « l’exploitant de ce portail », capitalised at the start of a sentence. */
function publisher(operator: OperatorDetails, sentenceStart = false): SafeHtml | string {
  return operator.name ?? html`${sentenceStart ? 'L' : 'l'}’exploitant de ce portail (${unset('OPERATOR_NAME')})`
}

/**
 * One thing kept, as a heading and its facts: read as well on a phone as on a laptop, where a
 * table of sentences would scroll sideways.
 */
function item(name: string | SafeHtml, facts: readonly (readonly [string, string])[]): SafeHtml {
  return html`<h3 class="fr-h6 fr-mb-1w">${name}</h3>
<p>${facts.map(([label, value], index) => html`${index > 0 ? html`<br>` : null}<strong>${label} :</strong> ${value}`)}</p>`
}

function page(viewer: Viewer, title: string, main: SafeHtml): string {
  return layout(viewer, { title, main: html`<div class="fr-grid-row"><div class="fr-col-12 fr-col-lg-10">${main}</div></div>` })
}

/** The accessibility statement, after the RGAA model: « non conforme », since no audit was made. */
export function accessibilityPage(viewer: Viewer, operator: OperatorDetails): string {
  const { base } = viewer
  const main = html`<h1>Déclaration d’accessibilité</h1>
<p>${publisher(operator, true)} s’engage à rendre ce portail accessible, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.</p>
<p>Cette déclaration d’accessibilité s’applique au portail des développeurs OpenEmploi de ce site (pages sous <code>${base}</code> et page d’accueil <code>/</code>).</p>
<h2>État de conformité</h2>
<p>Le portail des développeurs OpenEmploi est <strong>non conforme</strong> avec le référentiel général d’amélioration de l’accessibilité (RGAA) : aucun audit n’a encore été réalisé.</p>
<h2>Résultats des tests</h2>
<p>Aucun audit de conformité n’a été réalisé : le taux de critères respectés n’est pas connu.</p>
<p>Les tests du logiciel OpenEmploi vérifient chacune des pages du portail avec l’outil automatique axe-core (règles des WCAG 2.1, niveaux A et AA), dans un navigateur Chromium, sur des écrans de 375 et de 1 366 pixels de large : ces vérifications ne relèvent aucune erreur. Les tests automatiques ne couvrent qu’une partie des critères du RGAA et ne remplacent pas un audit.</p>
<h2>Contenus non accessibles</h2>
<p>Faute d’audit, les non-conformités au RGAA ne sont pas connues.</p>
<p>La documentation interactive de l’API (<a href="/docs">/docs</a>), produite par le logiciel Swagger UI, n’est pas vérifiée par ces tests ; la référence de l’API y est aussi disponible au format OpenAPI (<a href="/openapi.json">/openapi.json</a>).</p>
<h2>Établissement de cette déclaration</h2>
<p>Cette déclaration a été établie le ${STATEMENT_DATE}, avec le logiciel OpenEmploi ; l’exploitant la met à jour s’il modifie le portail ou s’il fait réaliser un audit.</p>
<h3>Technologies utilisées</h3>
<ul><li>HTML</li><li>CSS (système de design de l’État, DSFR)</li><li>JavaScript (celui du DSFR, pour le menu sur les petits écrans)</li><li>SVG</li></ul>
<h3>Environnement de test</h3>
<p>Navigateur Chromium, piloté par Playwright, outil axe-core.</p>
<h2>Retour d’information et contact</h2>
<p>Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter l’exploitant du portail pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : ${contact(operator)}.</p>
<h2>Voies de recours</h2>
<p>Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une fonctionnalité du portail, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits. Plusieurs moyens sont à votre disposition :</p>
<ul>
<li>écrire un message au Défenseur des droits (<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>) ;</li>
<li>contacter le délégué du Défenseur des droits dans votre région (<a href="https://www.defenseurdesdroits.fr/saisir/delegues">liste des délégués</a>) ;</li>
<li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>
</ul>`
  return page(viewer, 'Déclaration d’accessibilité', main)
}

/** The legal notices: who publishes, who hosts, what the software is. */
export function legalNoticePage(viewer: Viewer, operator: OperatorDetails): string {
  const { base } = viewer
  const main = html`<h1>Mentions légales</h1>
<h2>Éditeur</h2>
<p>${detail(operator.name, 'OPERATOR_NAME')}<br>${detail(operator.address, 'OPERATOR_ADDRESS')}<br>Contact : ${contact(operator)}</p>
<h2>Directeur de la publication</h2>
<p>${detail(operator.publicationDirector, 'OPERATOR_PUBLICATION_DIRECTOR')}</p>
<h2>Hébergement</h2>
<p>${detail(operator.host, 'OPERATOR_HOST')}</p>
<h2>Logiciel</h2>
<p>Ce portail est servi par OpenEmploi, logiciel libre sous licence MIT, mise en œuvre des API Offres d’emploi v2 et Infotravail v1. L’exploitant de ce site n’est pas France Travail.</p>
<h2>Accessibilité</h2>
<p>Le portail est non conforme au RGAA : voir la <a href="${base}/accessibilite">déclaration d’accessibilité</a>.</p>
<h2>Données personnelles et cookies</h2>
<p>Voir <a href="${base}/donnees-personnelles">Données personnelles</a> et <a href="${base}/cookies">Gestion des cookies</a>.</p>`
  return page(viewer, 'Mentions légales', main)
}

/** What the portal keeps about people, why, and for how long. */
export function personalDataPage(viewer: Viewer, operator: OperatorDetails): string {
  const rows = [
    ['Adresse électronique, nom, type et nom de l’organisation', 'Identifier le compte et le responsable de ses applications', 'Tant que le compte existe'],
    ['Mot de passe', 'Se connecter ; seule son empreinte (scrypt) est gardée, jamais le mot de passe', 'Tant que le compte existe'],
    [
      'Applications : nom, identifiant client, empreinte du secret, conditions d’utilisation acceptées (version, date, compte)',
      'Donner accès aux API sous contrat, garder trace de l’acceptation des conditions',
      'Tant que le compte existe, applications révoquées comprises',
    ],
    ['Empreinte du cookie de session', 'Rester connecté', '8 heures au plus ; effacée à la déconnexion, sinon au plus une heure après son expiration'],
    ['Nouveau secret d’une application, chiffré avec le cookie de session', 'L’afficher une seule fois après sa création', '5 minutes au plus ; effacé dès qu’il est affiché'],
    [
      'Tentatives de connexion : adresse IP (IPv6 : son préfixe /64) et empreinte du couple adresse IP et adresse électronique',
      'Freiner les tentatives de deviner un mot de passe',
      '15 minutes',
    ],
    ['Empreinte des jetons d’accès', 'Authentifier les appels aux API', 'Un jour après leur expiration'],
    [
      'Nombre d’appels par jour, application, API, route et statut (ni adresse IP ni contenu des requêtes)',
      'Appliquer les limites, montrer ses appels au responsable, publier les statistiques d’appels',
      'Sans limite de durée',
    ],
    ['Journaux techniques du serveur (adresse IP, chemin, statut, heure)', 'Exploiter le service et le protéger', 'Selon la configuration de l’exploitant'],
  ].map(([data = '', purpose = '', retention = '']) => item(data, [['Pourquoi', purpose], ['Combien de temps', retention]]))
  const main = html`<h1>Données personnelles</h1>
<p>Le responsable du traitement des données de ce portail est ${publisher(operator)}, qui exploite ce site avec le logiciel OpenEmploi.</p>
<h2>Ce que le portail garde</h2>
${rows}
<p>Le logiciel ne transmet ces données à aucun tiers et n’utilise aucun service extérieur : polices, scripts et styles sont servis par ce site.</p>
<h2>Vos droits</h2>
<p>Vous pouvez accéder aux données qui vous concernent, les faire rectifier ou effacer (avec votre compte et ses applications), ou vous opposer à leur traitement, en écrivant à l’exploitant : ${contact(operator)}. Vous pouvez aussi adresser une réclamation à la <a href="https://www.cnil.fr/fr/plaintes">CNIL</a>.</p>
<p>Les cookies sont décrits dans la page <a href="${viewer.base}/cookies">Gestion des cookies</a>.</p>`
  return page(viewer, 'Données personnelles', main)
}

/** The two cookies, both strictly necessary: no consent to ask. */
export function cookiesPage(viewer: Viewer): string {
  const rows = [
    ['openemploi_session', 'Garder la session d’un compte connecté (valeur aléatoire ; le portail n’en garde que l’empreinte)', 'Jusqu’à la fermeture du navigateur ou à la déconnexion ; la session expire après 8 heures'],
    ['openemploi_visiteur', 'Protéger les formulaires de connexion et d’inscription contre la falsification de requêtes (valeur aléatoire)', 'Jusqu’à la fermeture du navigateur'],
  ].map(([name = '', purpose = '', lifetime = '']) => item(html`<code>${name}</code>`, [['Rôle', purpose], ['Durée', lifetime]]))
  const main = html`<h1>Gestion des cookies</h1>
<p>Le portail n’utilise que deux cookies, strictement nécessaires à son fonctionnement : ils ne servent ni à mesurer l’audience ni à suivre votre navigation, et ne sont lus que par ce site (<code>HttpOnly</code>, <code>SameSite=Lax</code>).</p>
<h2>Les cookies du portail</h2>
${rows}
<p>Les cookies strictement nécessaires au service demandé sont dispensés de consentement (article 82 de la loi Informatique et Libertés) : le portail n’affiche donc aucun bandeau de consentement. Refuser ces cookies dans votre navigateur empêche de se connecter et d’envoyer les formulaires.</p>`
  return page(viewer, 'Gestion des cookies', main)
}

/** The four pages, by path under the portal, for the portal's routes. */
export const LEGAL_PAGES: readonly { readonly path: string; readonly render: (viewer: Viewer, operator: OperatorDetails) => string }[] = [
  { path: '/accessibilite', render: accessibilityPage },
  { path: '/mentions-legales', render: legalNoticePage },
  { path: '/donnees-personnelles', render: personalDataPage },
  { path: '/cookies', render: (viewer) => cookiesPage(viewer) },
]
