// Names for the answers the views read; every shape is generated from schema.graphql (see codegen.ts).
import type {
  BookingCardFieldsFragment,
  BookingDetailFieldsFragment,
  CapabilityFieldsFragment,
  CapacityBlocksQuery,
  DayFieldsFragment,
  MetricFieldsFragment,
  MyJobOffersQuery,
  OrganizationQuery,
  SuccessMetricsQuery,
  UtilizationQuery,
  ViewerQuery,
} from "../gql/graphql";

export type { BookingAction, BookingStatus } from "../gql/graphql";

type Item<T> = T extends readonly (infer U)[] ? U : never;

export type ViewerData = ViewerQuery;
export type Vehicle = Item<NonNullable<ViewerQuery["viewer"]["user"]>["vehicles"]>;
export type Capability = CapabilityFieldsFragment;
export type OrganizationSummary = NonNullable<OrganizationQuery["organization"]>;
export type DayUtilization = DayFieldsFragment;
export type UtilizationData = UtilizationQuery;
export type BookingCard = BookingCardFieldsFragment;
export type BookingDetail = BookingDetailFieldsFragment;
export type CapacityBlock = Item<NonNullable<CapacityBlocksQuery["organization"]>["capacityBlocks"]["nodes"]>;
export type JobOffer = Item<NonNullable<MyJobOffersQuery["viewer"]["user"]>["jobOffers"]["nodes"]>;
export type Metric = MetricFieldsFragment;
export type SuccessMetricsData = SuccessMetricsQuery;
