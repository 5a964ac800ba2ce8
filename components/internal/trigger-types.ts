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

/** A row of the table below: written as calls, the bundle carries each key once instead of 18 times. */
const trigger = <T extends string, G extends TriggerGroup>(
  type: T,
  group: G,
  description: string,
): Readonly<{ type: T; description: string; group: G }> => ({
  type,
  description,
  group,
});

export const TRIGGER_TYPES = [
  trigger('partner_created', 'lifecycle', 'Fires when a new partner record is created.'),
  trigger('partner_joined_platform', 'applications', 'Fires when a partner completes the partner portal onboarding.'),
  trigger('deal_registered', 'deals', 'Fires when a deal registration is submitted.'),
  trigger('deal_registration_approved', 'deals', 'Fires when a deal registration is approved.'),
  trigger('deal_registration_declined', 'deals', 'Fires when a deal registration is declined.'),
  trigger('application_submitted', 'applications', 'Fires when a partner application form is submitted.'),
  trigger('partner_stage_changed', 'lifecycle', 'Fires when a partner’s lifecycle stage changes.'),
  trigger('partner_agreement_signed', 'lifecycle', 'Fires when a partner signs an agreement.'),
  trigger('partner_certification_completed', 'lifecycle', 'Fires when a partner completes a certification.'),
  trigger('partner_tier_changed', 'lifecycle', 'Fires when a partner’s tier is updated.'),
  trigger('mdf_request_submitted', 'finance', 'Fires when a market development fund request is submitted.'),
  trigger('contract_renewal_approaching', 'lifecycle', 'Fires on a schedule before a contract renewal date.'),
  trigger('partner_inactive', 'lifecycle', 'Fires when a partner is flagged as inactive.'),
  trigger('deal_closed_won', 'deals', 'Fires when a deal is marked closed-won.'),
  trigger('deal_closed_lost', 'deals', 'Fires when a deal is marked closed-lost.'),
  trigger('partner_payment_made', 'lifecycle', 'Fires when a partner payment is recorded.'),
  trigger('contact_added_to_partner', 'lifecycle', 'Fires when a contact is linked to a partner.'),
  trigger('manual', 'manual', 'No automatic trigger; the workflow is invoked on demand.'),
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
