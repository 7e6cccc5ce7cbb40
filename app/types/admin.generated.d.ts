/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

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

interface GeneratedQueryTypes {
  "#graphql\nquery CurrentAppInstallation {\n  currentAppInstallation {\n    activeSubscriptions { id name status test trialDays currentPeriodEnd }\n  }\n}": {return: CurrentAppInstallationQuery, variables: CurrentAppInstallationQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\nmutation AppSubscriptionCreate($name: String!, $returnUrl: URL!, $trialDays: Int, $test: Boolean, $lineItems: [AppSubscriptionLineItemInput!]!) {\n  appSubscriptionCreate(name: $name, returnUrl: $returnUrl, trialDays: $trialDays, test: $test, lineItems: $lineItems) {\n    confirmationUrl\n    appSubscription { id name status }\n    userErrors { field message }\n  }\n}": {return: AppSubscriptionCreateMutation, variables: AppSubscriptionCreateMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
