/**
 * The PartnerOS workflow trigger types, in the order of the API contract
 * (shared/spec/partneros-workflows-api.txt), with their descriptions.
 *
 * This module is the single source for both the reference server
 * (`GET /api/workflow-pickers/trigger-types`) and `<pos-trigger-select>`,
 * which ships the list so it needs no network.
 */

/** Groups used by `<pos-trigger-select>` to make the list scannable. */
export const TriggerGroup = {
  lifecycle: 'Partner lifecycle',
  deals: 'Deals',
  applications: 'Applications and agreements',
  training: 'Training and certification',
  finance: 'Finance',
  scheduled: 'Scheduled and manual',
} as const;
export type TriggerGroup = keyof typeof TriggerGroup;

export interface TriggerType {
  type: string;
  description: string;
}

export interface GroupedTriggerType extends TriggerType {
  group: TriggerGroup;
}

export const TRIGGER_TYPES: readonly GroupedTriggerType[] = [
  { type: 'partner_created', description: 'Fires when a new partner record is created.', group: 'lifecycle' },
  { type: 'partner_joined_platform', description: 'Fires when a partner completes the partner portal onboarding.', group: 'lifecycle' },
  { type: 'deal_registered', description: 'Fires when a deal registration is submitted.', group: 'deals' },
  { type: 'deal_registration_approved', description: 'Fires when a deal registration is approved.', group: 'deals' },
  { type: 'deal_registration_declined', description: 'Fires when a deal registration is declined.', group: 'deals' },
  { type: 'application_submitted', description: 'Fires when a partner application form is submitted.', group: 'applications' },
  { type: 'partner_stage_changed', description: 'Fires when a partner’s lifecycle stage changes.', group: 'lifecycle' },
  { type: 'partner_agreement_signed', description: 'Fires when a partner signs an agreement.', group: 'applications' },
  { type: 'partner_certification_completed', description: 'Fires when a partner completes a certification.', group: 'training' },
  { type: 'partner_tier_changed', description: 'Fires when a partner’s tier is updated.', group: 'lifecycle' },
  { type: 'mdf_request_submitted', description: 'Fires when a market development fund request is submitted.', group: 'finance' },
  { type: 'contract_renewal_approaching', description: 'Fires on a schedule before a contract renewal date.', group: 'scheduled' },
  { type: 'partner_inactive', description: 'Fires when a partner is flagged as inactive.', group: 'lifecycle' },
  { type: 'deal_closed_won', description: 'Fires when a deal is marked closed-won.', group: 'deals' },
  { type: 'deal_closed_lost', description: 'Fires when a deal is marked closed-lost.', group: 'deals' },
  { type: 'partner_payment_made', description: 'Fires when a partner payment is recorded.', group: 'finance' },
  { type: 'contact_added_to_partner', description: 'Fires when a contact is linked to a partner.', group: 'lifecycle' },
  { type: 'manual', description: 'No automatic trigger; the workflow is invoked on demand.', group: 'scheduled' },
];
