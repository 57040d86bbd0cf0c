// The US stamp: accounts homed in the US keep their mail data in this region.
using '../main.bicep'

param location = 'eastus'
param environmentName = 'prod'
param regionCode = 'US'

// Placeholders below marked REPLACE must hold real values before the first deployment (infra/README.md).

// REPLACE: the stamp's custom domain, served through Front Door with a managed certificate (infra/README.md,
// "Custom domain"); or '' to use the function app's default host name.
param customDomain = 'us.mailbridge.example.com'

param restrictedProfileAllowed = true

// REPLACE: the domain whose mail the inbound mail gateway of this region hands to BCC ingest.
param bccDomain = 'bcc-us.mailbridge.example.com'

// REPLACE: the CRM's origins and event endpoint for this region.
param crmAllowedOrigins = [
  'https://app.crm.example.com'
]
param crmEventsUrl = 'https://app.crm.example.com/mailbridge/events'

// REPLACE: the application (client) id of the Entra app registration.
param entraClientId = '00000000-0000-0000-0000-000000000000'

// REPLACE: the CRM's custom SMTP relay for this region and the address its bounces go to.
param smtpHost = 'smtp-us.crm.example.com'
param smtpEnvelopeSender = 'bounces-us@crm.example.com'

param maximumInstanceCount = 100
// 2 take effect with RollingUpdate (a single instance is replaced with downtime) or zone redundancy.
param httpAlwaysReadyInstanceCount = 2
param siteUpdateStrategy = 'RollingUpdate'
// Only where Flex Consumption offers it: az functionapp list-flexconsumption-locations --zone-redundant=true.
param zoneRedundant = false

// REPLACE: the on-call team's action group, which every alert of the stamp notifies.
param alertActionGroupId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mailbridge-ops/providers/Microsoft.Insights/actionGroups/ag-mailbridge-oncall'
