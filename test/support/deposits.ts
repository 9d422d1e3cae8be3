/** A minimal deposit of the Dépôt d’offres API: codes only, the service adds the labels. */
export function offerDeposit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intitule: 'Infirmier de bloc opératoire (H/F)',
    description: 'Au sein du bloc opératoire, vous assurez la prise en charge des patients avant, pendant et après l’intervention.',
    romeCode: 'J1506',
    typeContrat: 'CDI',
    experienceExige: 'D',
    lieuTravail: { commune: '33063' },
    ...overrides,
  }
}
