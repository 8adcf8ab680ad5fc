// The Russian catalog: English message id → Russian text, {0}, {1}, … as in the id. One file per area, so each area
// keeps its own; test/i18n/catalog.test.ts checks that every msg`…` in src/ has an entry and every entry is used.
import { BULK } from './bulk';
import { CLIENT } from './client';
import { CORE } from './core';
import { DNS_SETTINGS } from './dns-settings';
import { DESCRIBE } from './describe';
import { HEALTH } from './health';
import { INSTALL } from './install';
import { PANELS } from './panels';
import { RECORDS } from './records';
import { LISTS } from './lists';
import { STANDALONE } from './standalone';
import { SYSTEM } from './system';

export const RU: Readonly<Record<string, string>> = { ...CORE, ...BULK, ...CLIENT, ...DESCRIBE, ...DNS_SETTINGS, ...HEALTH, ...INSTALL, ...PANELS, ...RECORDS, ...LISTS, ...STANDALONE, ...SYSTEM };
