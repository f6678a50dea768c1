// The delivery designs a run can choose (scenario key design.delivery, issue 17): how a new index reaches the
// Receivers. cached is ACMS's (the paper): Receivers poll through cluster and parent HTTP caches. direct: every
// Receiver polls the Storage Points itself, with no cache between (the load ACMS's use of the CDN avoids). push:
// SPs notify their parent sites of a new index, a parent that then finds its index changed notifies its cluster
// caches, and a cluster cache its Receivers, which poll at once; polling stays as the fall-back, at a longer interval.
export const DELIVERY_DESIGNS = ['cached', 'direct', 'push'] as const;
export type DeliveryDesign = (typeof DELIVERY_DESIGNS)[number];
