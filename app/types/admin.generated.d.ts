/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type HorizonAtRiskTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type HorizonAtRiskTagsAddMutation = { tagsAdd?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HorizonAtRiskTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type HorizonAtRiskTagsRemoveMutation = { tagsRemove?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HorizonSegmentCreateMutationVariables = AdminTypes.Exact<{
  name: AdminTypes.Scalars['String']['input'];
  query: AdminTypes.Scalars['String']['input'];
}>;


export type HorizonSegmentCreateMutation = { segmentCreate?: AdminTypes.Maybe<{ segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HorizonSegmentUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  name?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type HorizonSegmentUpdateMutation = { segmentUpdate?: AdminTypes.Maybe<{ segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HorizonSegmentDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type HorizonSegmentDeleteMutation = { segmentDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.SegmentDeletePayload, 'deletedSegmentId'>
    & { userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type HorizonSegmentByNameQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type HorizonSegmentByNameQuery = { segments: { edges: Array<{ node: Pick<AdminTypes.Segment, 'id' | 'name' | 'query'> }> } };

export type HorizonSegmentByIdQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type HorizonSegmentByIdQuery = { segment?: AdminTypes.Maybe<Pick<AdminTypes.Segment, 'id' | 'name' | 'query'>> };

export type HorizonTierDiscountCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type HorizonTierDiscountCreateMutation = { discountAutomaticAppCreate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticApp, 'discountId' | 'title' | 'status'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonTierDiscountUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  discount: AdminTypes.DiscountAutomaticAppInput;
}>;


export type HorizonTierDiscountUpdateMutation = { discountAutomaticAppUpdate?: AdminTypes.Maybe<{ automaticAppDiscount?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticApp, 'discountId' | 'status'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonTierDiscountActivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type HorizonTierDiscountActivateMutation = { discountAutomaticActivate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonTierDiscountDeactivateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type HorizonTierDiscountDeactivateMutation = { discountAutomaticDeactivate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonSegmentDiscountCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountAutomaticBasicInput;
}>;


export type HorizonSegmentDiscountCreateMutation = { discountAutomaticBasicCreate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonSegmentDiscountUpdateMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  discount: AdminTypes.DiscountAutomaticBasicInput;
}>;


export type HorizonSegmentDiscountUpdateMutation = { discountAutomaticBasicUpdate?: AdminTypes.Maybe<{ automaticDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountAutomaticNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonCodeDiscountByCodeQueryVariables = AdminTypes.Exact<{
  code: AdminTypes.Scalars['String']['input'];
}>;


export type HorizonCodeDiscountByCodeQuery = { codeDiscountNodeByCode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>> };

export type HorizonRetentionCodeCreateMutationVariables = AdminTypes.Exact<{
  discount: AdminTypes.DiscountCodeBasicInput;
}>;


export type HorizonRetentionCodeCreateMutation = { discountCodeBasicCreate?: AdminTypes.Maybe<{ codeDiscountNode?: AdminTypes.Maybe<Pick<AdminTypes.DiscountCodeNode, 'id'>>, userErrors: Array<Pick<AdminTypes.DiscountUserError, 'field' | 'message' | 'code'>> }> };

export type CurrentAppInstallationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type CurrentAppInstallationQuery = { currentAppInstallation: { activeSubscriptions: Array<Pick<AdminTypes.AppSubscription, 'id' | 'name' | 'status' | 'test' | 'trialDays' | 'currentPeriodEnd'>> } };

export type AppSubscriptionCreateMutationVariables = AdminTypes.Exact<{
  name: AdminTypes.Scalars['String']['input'];
  returnUrl: AdminTypes.Scalars['URL']['input'];
  trialDays?: AdminTypes.InputMaybe<AdminTypes.Scalars['Int']['input']>;
  test?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  lineItems: Array<AdminTypes.AppSubscriptionLineItemInput> | AdminTypes.AppSubscriptionLineItemInput;
}>;


export type AppSubscriptionCreateMutation = { appSubscriptionCreate?: AdminTypes.Maybe<(
    Pick<AdminTypes.AppSubscriptionCreatePayload, 'confirmationUrl'>
    & { appSubscription?: AdminTypes.Maybe<Pick<AdminTypes.AppSubscription, 'id' | 'name' | 'status'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type HorizonStagedUploadMutationVariables = AdminTypes.Exact<{
  input: Array<AdminTypes.StagedUploadInput> | AdminTypes.StagedUploadInput;
}>;


export type HorizonStagedUploadMutation = { stagedUploadsCreate?: AdminTypes.Maybe<{ stagedTargets?: AdminTypes.Maybe<Array<(
      Pick<AdminTypes.StagedMediaUploadTarget, 'url' | 'resourceUrl'>
      & { parameters: Array<Pick<AdminTypes.StagedUploadParameter, 'name' | 'value'>> }
    )>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HorizonBulkRunMutationMutationVariables = AdminTypes.Exact<{
  mutation: AdminTypes.Scalars['String']['input'];
  stagedUploadPath: AdminTypes.Scalars['String']['input'];
}>;


export type HorizonBulkRunMutationMutation = { bulkOperationRunMutation?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.BulkMutationUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonBulkMutationStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type HorizonBulkMutationStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'url' | 'partialDataUrl'>> };

export type HorizonCurrentBulkMutationQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type HorizonCurrentBulkMutationQuery = { currentBulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>> };

export type HorizonShopFactsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type HorizonShopFactsQuery = { shop: Pick<AdminTypes.Shop, 'currencyCode' | 'ianaTimezone'>, shopLocales: Array<Pick<AdminTypes.ShopLocale, 'locale' | 'primary'>> };

export type HorizonMetafieldsSetMutationVariables = AdminTypes.Exact<{
  metafields: Array<AdminTypes.MetafieldsSetInput> | AdminTypes.MetafieldsSetInput;
}>;


export type HorizonMetafieldsSetMutation = { metafieldsSet?: AdminTypes.Maybe<{ metafields?: AdminTypes.Maybe<Array<Pick<AdminTypes.Metafield, 'id'>>>, userErrors: Array<Pick<AdminTypes.MetafieldsSetUserError, 'field' | 'message' | 'code'>> }> };

export type HorizonBulkTagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type HorizonBulkTagsAddMutation = { tagsAdd?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type HorizonBulkTagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type HorizonBulkTagsRemoveMutation = { tagsRemove?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SyncCustomerFragment = (
  Pick<AdminTypes.Customer, 'id' | 'createdAt' | 'updatedAt' | 'state' | 'tags'>
  & { defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, statistics: Pick<AdminTypes.CustomerStatistics, 'predictedSpendTier'> }
);

export type SyncOrderFragment = (
  Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'test' | 'displayFinancialStatus' | 'currencyCode' | 'presentmentCurrencyCode' | 'sourceName' | 'discountCodes'>
  & { customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, refunds: Array<(
    Pick<AdminTypes.Refund, 'id' | 'createdAt' | 'processedAt'>
    & { totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
  )> }
);

export type SyncLineItemFragment = (
  Pick<AdminTypes.LineItem, 'id' | 'quantity'>
  & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>> }
);

export type BulkRunMutationVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type BulkRunMutation = { bulkOperationRunQuery?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'createdAt'>>, userErrors: Array<Pick<AdminTypes.BulkOperationUserError, 'field' | 'message' | 'code'>> }> };

export type BulkStatusQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkStatusQuery = { bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status' | 'errorCode' | 'objectCount' | 'rootObjectCount' | 'fileSize' | 'url' | 'partialDataUrl' | 'createdAt' | 'completedAt'>> };

export type BulkCancelMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type BulkCancelMutation = { bulkOperationCancel?: AdminTypes.Maybe<{ bulkOperation?: AdminTypes.Maybe<Pick<AdminTypes.BulkOperation, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type SyncCountsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type SyncCountsQuery = { ordersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>>, customersCount?: AdminTypes.Maybe<Pick<AdminTypes.Count, 'count' | 'precision'>> };

export type ReconcileOrdersQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type ReconcileOrdersQuery = { orders: { edges: Array<{ node: (
        Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'updatedAt' | 'processedAt' | 'cancelledAt' | 'test' | 'displayFinancialStatus' | 'currencyCode' | 'presentmentCurrencyCode' | 'sourceName' | 'discountCodes'>
        & { lineItems: { edges: Array<{ node: (
              Pick<AdminTypes.LineItem, 'id' | 'quantity'>
              & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>> }
            ) }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }, customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id'>>, billingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, subtotalPriceSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, currentSubtotalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalPriceSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'>, presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalDiscountsSet?: AdminTypes.Maybe<{ shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }>, totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, refunds: Array<(
          Pick<AdminTypes.Refund, 'id' | 'createdAt' | 'processedAt'>
          & { totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
        )> }
      ) }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type OrderLineItemsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type OrderLineItemsQuery = { order?: AdminTypes.Maybe<{ lineItems: { edges: Array<{ node: (
          Pick<AdminTypes.LineItem, 'id' | 'quantity'>
          & { product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id'>> }
        ) }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }> };

export type ReconcileCustomersQueryVariables = AdminTypes.Exact<{
  first: AdminTypes.Scalars['Int']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type ReconcileCustomersQuery = { customers: { edges: Array<{ node: (
        Pick<AdminTypes.Customer, 'id' | 'createdAt' | 'updatedAt' | 'state' | 'tags'>
        & { defaultAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2'>>, statistics: Pick<AdminTypes.CustomerStatistics, 'predictedSpendTier'> }
      ) }>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type OrderIdsQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type OrderIdsQuery = { orders: { nodes: Array<Pick<AdminTypes.Order, 'id'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type CustomerIdsQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type CustomerIdsQuery = { customers: { nodes: Array<Pick<AdminTypes.Customer, 'id'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

interface GeneratedQueryTypes {
  "#graphql\nquery HorizonSegmentByName($query: String!) {\n  segments(first: 5, query: $query) { edges { node { id name query } } }\n}": {return: HorizonSegmentByNameQuery, variables: HorizonSegmentByNameQueryVariables},
  "#graphql\nquery HorizonSegmentById($id: ID!) {\n  segment(id: $id) { id name query }\n}": {return: HorizonSegmentByIdQuery, variables: HorizonSegmentByIdQueryVariables},
  "#graphql\nquery HorizonCodeDiscountByCode($code: String!) {\n  codeDiscountNodeByCode(code: $code) { id }\n}": {return: HorizonCodeDiscountByCodeQuery, variables: HorizonCodeDiscountByCodeQueryVariables},
  "#graphql\nquery CurrentAppInstallation {\n  currentAppInstallation {\n    activeSubscriptions { id name status test trialDays currentPeriodEnd }\n  }\n}": {return: CurrentAppInstallationQuery, variables: CurrentAppInstallationQueryVariables},
  "#graphql\nquery HorizonBulkMutationStatus($id: ID!) {\n  bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }\n}": {return: HorizonBulkMutationStatusQuery, variables: HorizonBulkMutationStatusQueryVariables},
  "#graphql\nquery HorizonCurrentBulkMutation {\n  currentBulkOperation(type: MUTATION) { id status }\n}": {return: HorizonCurrentBulkMutationQuery, variables: HorizonCurrentBulkMutationQueryVariables},
  "#graphql\nquery HorizonShopFacts {\n  shop { currencyCode ianaTimezone }\n  shopLocales { locale primary }\n}": {return: HorizonShopFactsQuery, variables: HorizonShopFactsQueryVariables},
  "#graphql\nquery BulkStatus($id: ID!) {\n  bulkOperation(id: $id) {\n    id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt\n  }\n}": {return: BulkStatusQuery, variables: BulkStatusQueryVariables},
  "#graphql\nquery SyncCounts {\n  ordersCount(limit: null) { count precision }\n  customersCount(limit: null) { count precision }\n}": {return: SyncCountsQuery, variables: SyncCountsQueryVariables},
  "#graphql\nquery ReconcileOrders($first: Int!, $after: String, $query: String!) {\n  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {\n    edges { node { ...SyncOrder\n      lineItems(first: 20) { edges { node { ...SyncLineItem } } pageInfo { hasNextPage endCursor } }\n    } }\n    pageInfo { hasNextPage endCursor }\n  }\n}\n#graphql\nfragment SyncOrder on Order {\n  id\n  name\n  createdAt\n  updatedAt\n  processedAt\n  cancelledAt\n  test\n  displayFinancialStatus\n  currencyCode\n  presentmentCurrencyCode\n  sourceName\n  discountCodes\n  customer { id }\n  billingAddress { countryCodeV2 }\n  shippingAddress { countryCodeV2 }\n  subtotalPriceSet { shopMoney { amount currencyCode } }\n  currentSubtotalPriceSet { shopMoney { amount currencyCode } }\n  totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }\n  totalDiscountsSet { shopMoney { amount currencyCode } }\n  totalRefundedSet { shopMoney { amount currencyCode } }\n  refunds { id createdAt processedAt totalRefundedSet { shopMoney { amount currencyCode } } }\n}\n#graphql\nfragment SyncLineItem on LineItem { id quantity product { id } }": {return: ReconcileOrdersQuery, variables: ReconcileOrdersQueryVariables},
  "#graphql\nquery OrderLineItems($id: ID!, $after: String) {\n  order(id: $id) {\n    lineItems(first: 100, after: $after) { edges { node { ...SyncLineItem } } pageInfo { hasNextPage endCursor } }\n  }\n}\n#graphql\nfragment SyncLineItem on LineItem { id quantity product { id } }": {return: OrderLineItemsQuery, variables: OrderLineItemsQueryVariables},
  "#graphql\nquery ReconcileCustomers($first: Int!, $after: String, $query: String!) {\n  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {\n    edges { node { ...SyncCustomer } }\n    pageInfo { hasNextPage endCursor }\n  }\n}\n#graphql\nfragment SyncCustomer on Customer {\n  id\n  createdAt\n  updatedAt\n  state\n  tags\n  defaultAddress { countryCodeV2 }\n  statistics { predictedSpendTier }\n}": {return: ReconcileCustomersQuery, variables: ReconcileCustomersQueryVariables},
  "#graphql\nquery OrderIds($after: String) {\n  orders(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }\n}": {return: OrderIdsQuery, variables: OrderIdsQueryVariables},
  "#graphql\nquery CustomerIds($after: String) {\n  customers(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }\n}": {return: CustomerIdsQuery, variables: CustomerIdsQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\nmutation HorizonAtRiskTagsAdd($id: ID!, $tags: [String!]!) {\n  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }\n}": {return: HorizonAtRiskTagsAddMutation, variables: HorizonAtRiskTagsAddMutationVariables},
  "#graphql\nmutation HorizonAtRiskTagsRemove($id: ID!, $tags: [String!]!) {\n  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }\n}": {return: HorizonAtRiskTagsRemoveMutation, variables: HorizonAtRiskTagsRemoveMutationVariables},
  "#graphql\nmutation HorizonSegmentCreate($name: String!, $query: String!) {\n  segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } }\n}": {return: HorizonSegmentCreateMutation, variables: HorizonSegmentCreateMutationVariables},
  "#graphql\nmutation HorizonSegmentUpdate($id: ID!, $name: String, $query: String) {\n  segmentUpdate(id: $id, name: $name, query: $query) { segment { id name query } userErrors { field message } }\n}": {return: HorizonSegmentUpdateMutation, variables: HorizonSegmentUpdateMutationVariables},
  "#graphql\nmutation HorizonSegmentDelete($id: ID!) {\n  segmentDelete(id: $id) { deletedSegmentId userErrors { field message } }\n}": {return: HorizonSegmentDeleteMutation, variables: HorizonSegmentDeleteMutationVariables},
  "#graphql\nmutation HorizonTierDiscountCreate($discount: DiscountAutomaticAppInput!) {\n  discountAutomaticAppCreate(automaticAppDiscount: $discount) {\n    automaticAppDiscount { discountId title status }\n    userErrors { field message code }\n  }\n}": {return: HorizonTierDiscountCreateMutation, variables: HorizonTierDiscountCreateMutationVariables},
  "#graphql\nmutation HorizonTierDiscountUpdate($id: ID!, $discount: DiscountAutomaticAppInput!) {\n  discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {\n    automaticAppDiscount { discountId status }\n    userErrors { field message code }\n  }\n}": {return: HorizonTierDiscountUpdateMutation, variables: HorizonTierDiscountUpdateMutationVariables},
  "#graphql\nmutation HorizonTierDiscountActivate($id: ID!) {\n  discountAutomaticActivate(id: $id) { automaticDiscountNode { id } userErrors { field message code } }\n}": {return: HorizonTierDiscountActivateMutation, variables: HorizonTierDiscountActivateMutationVariables},
  "#graphql\nmutation HorizonTierDiscountDeactivate($id: ID!) {\n  discountAutomaticDeactivate(id: $id) { automaticDiscountNode { id } userErrors { field message code } }\n}": {return: HorizonTierDiscountDeactivateMutation, variables: HorizonTierDiscountDeactivateMutationVariables},
  "#graphql\nmutation HorizonSegmentDiscountCreate($discount: DiscountAutomaticBasicInput!) {\n  discountAutomaticBasicCreate(automaticBasicDiscount: $discount) {\n    automaticDiscountNode { id }\n    userErrors { field message code }\n  }\n}": {return: HorizonSegmentDiscountCreateMutation, variables: HorizonSegmentDiscountCreateMutationVariables},
  "#graphql\nmutation HorizonSegmentDiscountUpdate($id: ID!, $discount: DiscountAutomaticBasicInput!) {\n  discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $discount) {\n    automaticDiscountNode { id }\n    userErrors { field message code }\n  }\n}": {return: HorizonSegmentDiscountUpdateMutation, variables: HorizonSegmentDiscountUpdateMutationVariables},
  "#graphql\nmutation HorizonRetentionCodeCreate($discount: DiscountCodeBasicInput!) {\n  discountCodeBasicCreate(basicCodeDiscount: $discount) {\n    codeDiscountNode { id }\n    userErrors { field message code }\n  }\n}": {return: HorizonRetentionCodeCreateMutation, variables: HorizonRetentionCodeCreateMutationVariables},
  "#graphql\nmutation AppSubscriptionCreate($name: String!, $returnUrl: URL!, $trialDays: Int, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {\n  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, trialDays: $trialDays, test: $test, lineItems: $lineItems) {\n    confirmationUrl\n    appSubscription { id name status }\n    userErrors { field message }\n  }\n}": {return: AppSubscriptionCreateMutation, variables: AppSubscriptionCreateMutationVariables},
  "#graphql\nmutation HorizonStagedUpload($input: [StagedUploadInput!]!) {\n  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }\n}": {return: HorizonStagedUploadMutation, variables: HorizonStagedUploadMutationVariables},
  "#graphql\nmutation HorizonBulkRunMutation($mutation: String!, $stagedUploadPath: String!) {\n  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {\n    bulkOperation { id status }\n    userErrors { field message code }\n  }\n}": {return: HorizonBulkRunMutationMutation, variables: HorizonBulkRunMutationMutationVariables},
  "#graphql\nmutation HorizonMetafieldsSet($metafields: [MetafieldsSetInput!]!) {\n  metafieldsSet(metafields: $metafields) { metafields { id } userErrors { field message code } }\n}": {return: HorizonMetafieldsSetMutation, variables: HorizonMetafieldsSetMutationVariables},
  "#graphql\nmutation HorizonBulkTagsAdd($id: ID!, $tags: [String!]!) {\n  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }\n}": {return: HorizonBulkTagsAddMutation, variables: HorizonBulkTagsAddMutationVariables},
  "#graphql\nmutation HorizonBulkTagsRemove($id: ID!, $tags: [String!]!) {\n  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }\n}": {return: HorizonBulkTagsRemoveMutation, variables: HorizonBulkTagsRemoveMutationVariables},
  "#graphql\nmutation BulkRun($query: String!) {\n  bulkOperationRunQuery(query: $query, groupObjects: false) {\n    bulkOperation { id status createdAt }\n    userErrors { field message code }\n  }\n}": {return: BulkRunMutation, variables: BulkRunMutationVariables},
  "#graphql\nmutation BulkCancel($id: ID!) {\n  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } }\n}": {return: BulkCancelMutation, variables: BulkCancelMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
