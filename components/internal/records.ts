/** The records the pickers offer, as the PartnerOS API sends them. */

/** `GET /api/workflow-pickers/specializations` → `{ specializations: Specialization[] }`. */
export interface Specialization {
  id: string;
  title: string;
  description: string;
  isPublished?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

/** `GET /api/workflow-pickers/trainings` → `{ trainings: Training[] }`. */
export interface Training {
  id: string;
  title: string;
  description: string;
  tags: string[];
  specializationId: string | null;
  durationMinutes: number | null;
  isPublished?: boolean;
  createdAt?: string;
  updatedAt?: string;
}
