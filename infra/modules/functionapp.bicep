// The function app on a Flex Consumption plan, what its system-assigned identity may do, and every
// app setting it runs with. Resource shapes follow Microsoft's Flex Consumption samples:
//   - quickstarts/microsoft.web/function-app-flex-managed-identities/main.bicep (azure-quickstart-templates)
//   - IaC/bicep/main.bicep and IaC/bicep/rbac.bicep (Azure-Samples/azure-functions-flex-consumption-samples)

param location string
param tags object
param planName string
param appName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param keyVaultName string
param maximumInstanceCount int
param instanceMemoryMB int
param httpAlwaysReadyInstanceCount int
param zoneRedundant bool
@allowed([
  'Recreate'
  'RollingUpdate'
])
param siteUpdateStrategy string
param logAnalyticsWorkspaceId string
param regionCode string
@description('Custom domain served through Front Door (modules/frontdoor.bicep), or empty for the app\'s default host name.')
param customDomain string
param restrictedProfileAllowed bool
param bccDomain string
param crmAllowedOrigins array
param crmEventsUrl string
param entraAuthority string
param entraClientId string
param graphBaseUrl string
param readPreviousTokenKeys bool
param smtpHost string
param smtpPort int
param smtpEnvelopeSender string
@description('Product name on the connect pages; a CRM shows its own.')
param brandName string = 'Mailbridge'
@description('https URL of the logo on the connect pages; empty for none.')
param brandLogoUrl string = ''

// Built-in role definition ids, as in the samples' rbac.bicep, plus Key Vault Secrets User.
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

// Blob Data Owner: the host's leases and Flex's deployment container; queue and table roles: the app's
// queues and tables (and the host's poison-queue moves).
var storageRoleIds = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

resource storageAccount 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// Zone redundancy makes the platform keep at least two always-ready instances per scale group, and a rolling
// update replaces a single instance with downtime as Recreate does (Learn: "Reliability in Azure Functions",
// "Site update strategies in Flex Consumption"); so in both cases the http group gets at least two, on the bill
// and in this template rather than silently.
var effectiveHttpAlwaysReady = zoneRedundant || siteUpdateStrategy == 'RollingUpdate' ? max(2, httpAlwaysReadyInstanceCount) : httpAlwaysReadyInstanceCount

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Flex Consumption is Linux only.
    reserved: true
    // Only in regions that offer it (az functionapp list-flexconsumption-locations --zone-redundant=true); changing it
    // restarts the app. The storage account is ZRS already, as zone redundancy asks.
    zoneRedundant: zoneRedundant
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    // On Flex Consumption, runtime, scale and deployment source live here instead of app settings
    // (Learn: "Automate resource deployment for your function app", Application configuration).
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // Instances of the 'http' per-function scale group that never scale to zero, so the Graph
        // webhook answers within Graph's 3 s after idle time too. Shape from Learn's IaC article:
        // alwaysReady: [ { name: 'http' instanceCount: 2 } ].
        alwaysReady: [
          {
            name: 'http'
            instanceCount: effectiveHttpAlwaysReady
          }
        ]
      }
      runtime: {
        name: 'java'
        version: '21'
      }
      // RollingUpdate drains instances in batches, so a deployment or settings change never leaves the Graph
      // webhook without an instance (Learn: "Site update strategies in Flex Consumption"; preview, API 2023-12-01+).
      // Not yet in the Bicep type definitions of Microsoft.Web: the compiler warns (BCP037), ARM accepts it.
      #disable-next-line BCP037
      siteUpdateStrategy: {
        type: siteUpdateStrategy
      }
    }
  }
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoleIds: {
    name: guid(storageAccount.id, functionApp.id, roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: functionApp.identity.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionApp.id, roleIds.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, functionApp.id, roleIds.keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Where Microsoft and the CRM reach the app: the custom domain in front of it, or its own default host name
// (on Flex Consumption possibly a unique one, <app>-<hash>.<region>-01.azurewebsites.net, so it is read, not built).
var publicHostName = empty(customDomain) ? functionApp.properties.defaultHostName : customDomain

// Versionless Key Vault references: the app gets a secret's newest version at the next refresh
// (every 24 h, on any settings change, or when the deploy workflow asks for one).
var secretReferencePrefix = '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets'

// Every app setting the app runs with: DeploymentSettingsTest checks these names against
// io.mailbridge.config.AppSetting and its list of host settings. A deployment replaces the whole set,
// so a setting added by hand in the portal disappears with the next deployment.
//
// AzureWebJobsStorage itself (the connection string the app uses locally) is deliberately unset:
// it would need an account key, and the account allows none. Without it, both the host and the app
// reach storage through the identity-based AzureWebJobsStorage__* settings below.
//
// A separate config resource instead of siteConfig.appSettings (as the Flex quickstart above does),
// because Key Vault references resolve with the system-assigned identity, which exists only once the
// site does and must hold its roles first (Learn: "Use Key Vault references as app settings",
// Azure Resource Manager deployment).
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  dependsOn: [
    storageRoleAssignments
    telemetryPublisher
    secretsReader
  ]
  properties: {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__blobServiceUri: 'https://${storageAccount.name}.blob.${environment().suffixes.storage}'
    AzureWebJobsStorage__queueServiceUri: 'https://${storageAccount.name}.queue.${environment().suffixes.storage}'
    AzureWebJobsStorage__tableServiceUri: 'https://${storageAccount.name}.table.${environment().suffixes.storage}'
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    // The Java worker loads the Application Insights Java agent, which exports the app's opentelemetry-api spans and metrics
    // (Learn, "Monitor Azure Functions with Application Insights", distributed tracing for Java).
    APPLICATIONINSIGHTS_ENABLE_AGENT: 'true'
    // The host reads every request body before the Java worker sees it, so anonymous endpoints (BCC ingest,
    // Graph webhooks) are capped here, not only in the app. Learn, "App settings reference for Azure Functions",
    // FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: bytes, default 104,857,600. 40 MiB holds the largest legitimate request:
    // a CRM send with 25 MiB of attachments in base64 plus its bodies; BCC mail stops at 25 MiB below it.
    FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '41943040'
    MAILBRIDGE_STAMP_REGION: regionCode
    MAILBRIDGE_PUBLIC_BASE_URL: 'https://${publicHostName}'
    MAILBRIDGE_RESTRICTED_PROFILE_ALLOWED: string(restrictedProfileAllowed)
    MAILBRIDGE_BCC_DOMAIN: bccDomain
    MAILBRIDGE_BCC_GATEWAY_SECRET: '${secretReferencePrefix}/bcc-gateway-secret)'
    // 25 MiB, the default message size limit of common mail services; the Functions host's own limit is 100 MB.
    MAILBRIDGE_BCC_MAX_MAIL_BYTES: '26214400'
    MAILBRIDGE_CRM_ORIGINS: join(crmAllowedOrigins, ',')
    MAILBRIDGE_CRM_SIGNING_SECRET: '${secretReferencePrefix}/crm-signing-secret)'
    MAILBRIDGE_CRM_EVENTS_URL: crmEventsUrl
    MAILBRIDGE_ENTRA_AUTHORITY: entraAuthority
    MAILBRIDGE_ENTRA_CLIENT_ID: entraClientId
    MAILBRIDGE_ENTRA_CLIENT_SECRET: '${secretReferencePrefix}/entra-client-secret)'
    // Microsoft's own clouds need no extra discovery metadata; only the local sandbox on a non-443 port does.
    MAILBRIDGE_ENTRA_INSTANCE_DISCOVERY: ''
    MAILBRIDGE_GRAPH_BASE_URL: graphBaseUrl
    // Only the local sandbox needs extra trusted CAs; Microsoft's endpoints chain to public roots.
    MAILBRIDGE_EXTRA_CA_CERTIFICATES: ''
    // Every 10 minutes a catch-up per 2-way mailbox heals dropped notifications; renewal runs hourly.
    MAILBRIDGE_SYNC_SWEEP_SCHEDULE: '0 */10 * * * *'
    MAILBRIDGE_SUBSCRIPTION_RENEWAL_SCHEDULE: '0 17 * * * *'
    // Every 10 minutes (with the Inbox sweep's period; Sent Items notifications carry the rest) a job per mailbox writes
    // relay-sent CRM mail into Sent Items and runs delta on them.
    MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE: '0 */10 * * * *'
    // Hourly: expired sign-ins, used links and signatures, and content no write-back will use are deleted.
    MAILBRIDGE_HOUSEKEEPING_SCHEDULE: '0 30 * * * *'
    MAILBRIDGE_TOKEN_ENCRYPTION_KEY: '${secretReferencePrefix}/token-encryption-key)'
    // Referenced only during a key rotation: outside one the secret may not exist, and an
    // unresolvable reference would reach the app as the literal '@Microsoft.KeyVault(...)' text.
    MAILBRIDGE_TOKEN_PREVIOUS_KEYS: readPreviousTokenKeys ? '${secretReferencePrefix}/token-previous-keys)' : ''
    // Exchange Online's sending limits per mailbox: 10,000 recipients in a rolling 24 hours, 30 messages a minute.
    MAILBRIDGE_SEND_RECIPIENTS_PER_DAY: '10000'
    MAILBRIDGE_SEND_MESSAGES_PER_MINUTE: '30'
    MAILBRIDGE_SMTP_HOST: smtpHost
    MAILBRIDGE_SMTP_PORT: string(smtpPort)
    MAILBRIDGE_SMTP_USERNAME: '${secretReferencePrefix}/smtp-username)'
    MAILBRIDGE_SMTP_PASSWORD: '${secretReferencePrefix}/smtp-password)'
    MAILBRIDGE_SMTP_ENVELOPE_SENDER: smtpEnvelopeSender
    // The CRM's relay presents a certificate from a public CA; only the local sandbox's needs an extra one.
    MAILBRIDGE_SMTP_EXTRA_CA_CERTIFICATES: ''
    // The connect pages show the product's name and logo; a CRM sets its own here.
    MAILBRIDGE_BRAND_NAME: brandName
    MAILBRIDGE_BRAND_LOGO_URL: brandLogoUrl
  }
}

// The host's invocation logs (FunctionAppLogs) and the app's platform metrics in the stamp's workspace.
resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = functionApp.name
output id string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
output publicHostName string = publicHostName
output httpAlwaysReadyInstanceCount int = effectiveHttpAlwaysReady
