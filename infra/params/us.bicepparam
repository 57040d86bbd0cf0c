// The US stamp: accounts homed in the US keep their mail data in this region.
using '../main.bicep'

param location = 'eastus'
param environmentName = 'prod'
param regionCode = 'US'

// Placeholders below marked REPLACE must hold real values before the first deployment (infra/README.md).

// REPLACE: the custom domain bound to this stamp's function app, or its own *.azurewebsites.net host name.
param publicHostName = 'us.mailbridge.example.com'

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
param httpAlwaysReadyInstanceCount = 1
