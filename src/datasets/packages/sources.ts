/**
 * Upstream copies that several packages cite in their provenance, written once so that every
 * resource drawn from one snapshot names it the same way (see data/marche-travail/SOURCE.md).
 */

/** The snapshot of the Mobiville repository the `imt` and `statistiques` files were taken from. */
export const MOBIVILLE_ORIGIN =
  'Copie : dépôt GitHub StartupsPoleEmploi/mobiville (code AGPL-3.0), instantané ' +
  '6a911605234600df53209f108f8f094af09732cf (2023-04-26)'
