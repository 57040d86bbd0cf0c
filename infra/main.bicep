// One Mailbridge stamp: everything one region needs, in that region's resource group.
// Deployed once per region with infra/params/<region>.bicepparam; infra/README.md explains the whole.

targetScope = 'resourceGroup'

@description('Azure region of every resource in the stamp: the mail data of this stamp stays there.')
param location string = resourceGroup().location

@description('Environment name, lowercase letters and digits only (for example prod); part of every resource name.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('The region this stamp serves, as io.mailbridge.config.Region names it.')
@allowed([
  'US'
  'EU'
  'AU'
])
param regionCode string

@description('Custom domain (no scheme) of this stamp, served through Front Door with a managed certificate; empty to use the function app\'s default host name. Graph notification URLs and the Entra redirect URIs use whichever it is.')
param customDomain string = ''

@description('Whether this stamp may serve the RESTRICTED profile (false in EU and AU; the app refuses true there).')
param restrictedProfileAllowed bool

@description('Mail domain of the accounts\' BCC addresses, served by the inbound mail gateway of this region.')
param bccDomain string

@description('CRM origins (scheme://host[:port], no path) the app may send a user back to after connecting a mailbox.')
param crmAllowedOrigins array

@description('The CRM endpoint (https) that receives this stamp\'s signed events.')
param crmEventsUrl string

@description('Application (client) id of the Entra app registration (infra/README.md, "Register the Entra app").')
param entraClientId string

@description('Microsoft identity platform authority for work and school accounts of this cloud.')
param entraAuthority string = '${environment().authentication.loginEndpoint}organizations/'

// Not derived from environment(): its graph property is the retired Azure AD Graph, not Microsoft Graph.
@description('Microsoft Graph v1.0 endpoint of this stamp\'s cloud.')
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

@description('True while a token key rotation is under way: the app then also reads the keys in the token-previous-keys secret.')
param readPreviousTokenKeys bool = false

@description('Host name of the CRM\'s custom SMTP relay (STARTTLS): RESTRICTED mailboxes send through it, FULL ones once their quota is spent.')
param smtpHost string

@description('Submission port of the custom SMTP relay.')
param smtpPort int = 587

@description('Envelope sender (MAIL FROM) of mail sent through the custom SMTP relay: where bounces go.')
param smtpEnvelopeSender string

@description('Upper bound of Flex Consumption instances for the whole app.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Always-running instances for the HTTP functions, so the Graph webhook answers within 3 s after idle time. At least 2 take effect with zoneRedundant or RollingUpdate.')
@minValue(1)
param httpAlwaysReadyInstanceCount int = 1

@description('Spread the app\'s instances over availability zones, where Flex Consumption offers it (changing it restarts the app); the platform then keeps at least two always-ready instances per scale group (billed).')
param zoneRedundant bool = false

@description('How deployments and settings changes reach running instances: RollingUpdate (preview) drains them in batches, Recreate restarts all at once.')
@allowed([
  'Recreate'
  'RollingUpdate'
])
param siteUpdateStrategy string = 'RollingUpdate'

@description('Resource id of the action group the stamp\'s alerts notify (Microsoft.Insights/actionGroups, usually shared by the on-call team).')
param alertActionGroupId string

@description('Failed invocations of one function, in percent over 15 minutes, that raise the failure-rate alert.')
@minValue(1)
@maxValue(100)
param alertFailureRatePercent int = 5

@description('Connections moving to NEEDS_REAUTH within one hour that raise the spike alert.')
@minValue(1)
param alertNeedsReauthPerHour int = 20

// prod-us, prod-eu, ...: names of resources scoped to the resource group.
var stamp = toLower('${environmentName}-${regionCode}')

// For names that must be unique across Azure: stable for a given resource group and stamp.
var uniqueSuffix = uniqueString(resourceGroup().id, stamp)

var names = {
  logAnalytics: 'log-mailbridge-${stamp}'
  applicationInsights: 'appi-mailbridge-${stamp}'
  // 3-24 lowercase letters and digits.
  storageAccount: take('stmb${toLower(environmentName)}${toLower(regionCode)}${uniqueSuffix}', 24)
  // 3-24 letters, digits and single hyphens; the suffix keeps at least six characters.
  keyVault: take('kv-mb-${stamp}-${uniqueSuffix}', 24)
  plan: 'plan-mailbridge-${stamp}'
  frontDoor: 'afd-mailbridge-${stamp}'
  // Endpoint names are global: <name>-<hash>.z01.azurefd.net.
  frontDoorEndpoint: 'mailbridge-${stamp}'
  functionApp: 'func-mailbridge-${stamp}-${take(uniqueSuffix, 8)}'
}

var tags = {
  application: 'mailbridge'
  environment: environmentName
  stamp: regionCode
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    accountName: names.storageAccount
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    name: names.keyVault
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    tags: tags
    planName: names.plan
    appName: names.functionApp
    storageAccountName: storage.outputs.accountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: keyVault.outputs.name
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    httpAlwaysReadyInstanceCount: httpAlwaysReadyInstanceCount
    zoneRedundant: zoneRedundant
    siteUpdateStrategy: siteUpdateStrategy
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    regionCode: regionCode
    customDomain: customDomain
    restrictedProfileAllowed: restrictedProfileAllowed
    bccDomain: bccDomain
    crmAllowedOrigins: crmAllowedOrigins
    crmEventsUrl: crmEventsUrl
    entraAuthority: entraAuthority
    entraClientId: entraClientId
    graphBaseUrl: graphBaseUrl
    readPreviousTokenKeys: readPreviousTokenKeys
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpEnvelopeSender: smtpEnvelopeSender
  }
}

module frontDoor 'modules/frontdoor.bicep' = if (!empty(customDomain)) {
  name: 'frontdoor'
  params: {
    tags: tags
    profileName: names.frontDoor
    endpointName: names.frontDoorEndpoint
    customDomain: customDomain
    originHostName: functionApp.outputs.defaultHostName
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    location: location
    tags: tags
    stamp: stamp
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    actionGroupId: alertActionGroupId
    failureRatePercent: alertFailureRatePercent
    needsReauthPerHour: alertNeedsReauthPerHour
  }
}

var publicBaseUrl = 'https://${functionApp.outputs.publicHostName}'

// Read by the deploy workflow (package deployment, Key Vault reference refresh) and by operators.
output functionAppName string = functionApp.outputs.name
output functionAppId string = functionApp.outputs.id
output functionAppDefaultHostName string = functionApp.outputs.defaultHostName
output keyVaultName string = keyVault.outputs.name
// MAILBRIDGE_PUBLIC_BASE_URL: the custom domain when one is set, else the app's default host name.
output publicBaseUrl string = publicBaseUrl
output entraRedirectUri string = '${publicBaseUrl}/api/connect/callback'
// Where Microsoft returns an administrator after the admin consent link a user was given; registered beside the callback.
output entraAdminConsentRedirectUri string = '${publicBaseUrl}/api/connect/adminconsent'
output httpAlwaysReadyInstanceCount int = functionApp.outputs.httpAlwaysReadyInstanceCount
// Only with a custom domain: the DNS records that validate it and route it to Front Door (infra/README.md).
output frontDoorEndpointHostName string = empty(customDomain) ? '' : frontDoor.outputs.endpointHostName
output customDomainValidationToken string = empty(customDomain) ? '' : frontDoor.outputs.domainValidationToken
