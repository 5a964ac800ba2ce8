/**
 * The PartnerOS workflow trigger types, in the order of the API contract
 * (shared/spec/partneros-workflows-api.txt), with their descriptions, the
 * names and groups the PartnerOS workflow builder shows (its in-app guide),
 * and the parameters three of them take.
 *
 * This module is the single source for both the reference server
 * (`GET /api/workflow-pickers/trigger-types`, which answers `{ type, description }`
 * only, as the API does) and `<pos-trigger-select>`, which ships the list so it
 * needs no network.
 */

/**
 * The groups `<pos-trigger-select>` shows, in this order. The first two are
 * the guide's own; the guide lists further groups whose names we do not have,
 * so the last four names are ours.
 */
export const TriggerGroup = {
  lifecycle: 'Partner lifecycle triggers',
  deals: 'Deal triggers',
  applications: 'Portal and application triggers',
  finance: 'Finance triggers',
  manual: 'Manual triggers',
  /** Types outside the contract (handed in through `data`). */
  other: 'Other triggers',
} as const;
export type TriggerGroup = keyof typeof TriggerGroup;

export interface TriggerType {
  type: string;
  description: string;
}

export interface GroupedTriggerType extends TriggerType {
  group: TriggerGroup;
}

export const TRIGGER_TYPES = [
  { type: 'partner_created', description: 'Fires when a new partner record is created.', group: 'lifecycle' },
  { type: 'partner_joined_platform', description: 'Fires when a partner completes the partner portal onboarding.', group: 'applications' },
  { type: 'deal_registered', description: 'Fires when a deal registration is submitted.', group: 'deals' },
  { type: 'deal_registration_approved', description: 'Fires when a deal registration is approved.', group: 'deals' },
  { type: 'deal_registration_declined', description: 'Fires when a deal registration is declined.', group: 'deals' },
  { type: 'application_submitted', description: 'Fires when a partner application form is submitted.', group: 'applications' },
  { type: 'partner_stage_changed', description: 'Fires when a partner’s lifecycle stage changes.', group: 'lifecycle' },
  { type: 'partner_agreement_signed', description: 'Fires when a partner signs an agreement.', group: 'lifecycle' },
  { type: 'partner_certification_completed', description: 'Fires when a partner completes a certification.', group: 'lifecycle' },
  { type: 'partner_tier_changed', description: 'Fires when a partner’s tier is updated.', group: 'lifecycle' },
  { type: 'mdf_request_submitted', description: 'Fires when a market development fund request is submitted.', group: 'finance' },
  { type: 'contract_renewal_approaching', description: 'Fires on a schedule before a contract renewal date.', group: 'lifecycle' },
  { type: 'partner_inactive', description: 'Fires when a partner is flagged as inactive.', group: 'lifecycle' },
  { type: 'deal_closed_won', description: 'Fires when a deal is marked closed-won.', group: 'deals' },
  { type: 'deal_closed_lost', description: 'Fires when a deal is marked closed-lost.', group: 'deals' },
  { type: 'partner_payment_made', description: 'Fires when a partner payment is recorded.', group: 'lifecycle' },
  { type: 'contact_added_to_partner', description: 'Fires when a contact is linked to a partner.', group: 'lifecycle' },
  { type: 'manual', description: 'No automatic trigger; the workflow is invoked on demand.', group: 'manual' },
] as const satisfies readonly GroupedTriggerType[];

/** The 18 trigger types of the contract. */
export type TriggerTypeName = (typeof TRIGGER_TYPES)[number]['type'];

/**
 * The names the builder shows where they are not simply the type in title
 * case (`partner_created` → Partner Created), which the guide's names all are
 * but these. The guide's notes we have do not name partner_joined_platform,
 * application_submitted, mdf_request_submitted and manual: those four titles
 * (Partner Joined Platform, Application Submitted, MDF Request Submitted,
 * Manual) are ours, in the guide's style.
 */
export const TRIGGER_TITLES: Partial<Record<TriggerTypeName, string>> = {
  contact_added_to_partner: 'Contact Added to Partner',
  partner_inactive: 'Partner Inactive (X Days)',
  mdf_request_submitted: 'MDF Request Submitted',
};

/**
 * The day counts' range: whole days, 1 to 365. PartnerOS documents only the
 * default (30); the range is ours, a year being the longest a schedule of
 * this kind sensibly looks ahead or back.
 */
export const TRIGGER_DAYS = { min: 1, max: 365 } as const;

/**
 * The three types that take parameters, with the guide's defaults: a number
 * of days, 30. `partner_stage_changed`'s from- and to-stage filters are
 * optional and have none (no filter: any stage). Every other type takes no parameters.
 */
export const TRIGGER_PARAMETERS = {
  partner_stage_changed: {},
  partner_inactive: { days: 30 },
  contract_renewal_approaching: { daysBefore: 30 },
} as const satisfies Partial<Record<TriggerTypeName, Record<string, number>>>;

/** A trigger type that takes no parameters. */
export type PlainTriggerType = Exclude<TriggerTypeName, keyof typeof TRIGGER_PARAMETERS>;

/**
 * A trigger as a workflow stores it: the type and its parameters.
 * `days` / `daysBefore` are whole numbers of days; the stages are stage names,
 * left out for "any stage".
 */
export type TriggerValue =
  | { type: 'partner_stage_changed'; fromStage?: string; toStage?: string }
  | { type: 'partner_inactive'; days: number }
  | { type: 'contract_renewal_approaching'; daysBefore: number }
  | { type: PlainTriggerType };

/** A parameter's name, as `TriggerValue` and the FormData entries (`{name}.{parameter}`) spell it. */
export type TriggerParameter = 'fromStage' | 'toStage' | 'days' | 'daysBefore';

/** A partner lifecycle stage, as `GET /api/workflow-pickers/partner-stages` (the reference server's own) answers. */
export interface PartnerStage {
  id: string;
  name: string;
}
