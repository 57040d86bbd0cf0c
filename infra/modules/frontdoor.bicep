// Optional: the stamp's custom domain, served by Azure Front Door (Standard) with a Front Door managed
// certificate in front of the function app. Flex Consumption cannot bind an App Service managed certificate
// to a custom domain, and without TLS on the public host name the Graph notification URL and the Entra
// redirect break; Front Door terminates TLS for the domain and forwards over HTTPS to the app's own host name.
// Deployed by main.bicep only when customDomain is set. Shapes: Microsoft.Cdn 2024-09-01 type definitions.

param tags object
param profileName string
param endpointName string
@description('The custom domain, for example eu.mailbridge.example.com.')
param customDomain string
@description('Default host name of the function app: the origin.')
param originHostName string

resource profile 'Microsoft.Cdn/profiles@2024-09-01' = {
  name: profileName
  // Front Door is a global resource.
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    // The app's slowest synchronous request (a CRM send with 25 MiB of attachments) stays well under a minute.
    originResponseTimeoutSeconds: 60
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2024-09-01' = {
  parent: profile
  name: endpointName
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

// No health probe: with a single origin Front Door has nowhere else to send traffic, and probes from every
// edge location would only add invocations (Learn: "Health probes", single-origin origin groups).
resource originGroup 'Microsoft.Cdn/profiles/originGroups@2024-09-01' = {
  parent: profile
  name: 'function-app'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource origin 'Microsoft.Cdn/profiles/originGroups/origins@2024-09-01' = {
  parent: originGroup
  name: 'function-app'
  properties: {
    hostName: originHostName
    // App Service routes by host name: the app's own, not the custom domain, which is not bound to it.
    originHostHeader: originHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource domain 'Microsoft.Cdn/profiles/customDomains@2024-09-01' = {
  parent: profile
  name: replace(customDomain, '.', '-')
  properties: {
    hostName: customDomain
    tlsSettings: {
      certificateType: 'ManagedCertificate'
      minimumTlsVersion: 'TLS12'
    }
  }
}

// Everything on HTTPS, nothing cached: every route of the app is dynamic and most are signed or keyed.
resource route 'Microsoft.Cdn/profiles/afdEndpoints/routes@2024-09-01' = {
  parent: endpoint
  name: 'all'
  dependsOn: [
    origin
  ]
  properties: {
    customDomains: [
      {
        id: domain.id
      }
    ]
    originGroup: {
      id: originGroup.id
    }
    supportedProtocols: [
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Disabled'
    httpsRedirect: 'Disabled'
    enabledState: 'Enabled'
  }
}

// DNS records the operator creates once (infra/README.md, "Custom domain"): a TXT record
// _dnsauth.<customDomain> with the validation token, and a CNAME from the domain to the endpoint.
output endpointHostName string = endpoint.properties.hostName
output domainValidationToken string = domain.properties.validationProperties.validationToken
