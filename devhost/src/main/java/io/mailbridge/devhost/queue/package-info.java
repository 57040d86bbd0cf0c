/** Queue triggers: host.json queue options and the polling listener. Internal to the devhost. */
package io.mailbridge.devhost.queue;
