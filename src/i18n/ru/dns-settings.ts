// Messages of a namespace's DNS settings (dnsparam) and of the names they take.
export const DNS_SETTINGS: Readonly<Record<string, string>> = {
  // src/model/record.ts, src/model/dns-settings.ts
  'expected a full host name, e.g. ns1.example.com': 'ожидается полное имя хоста, например ns1.example.com',
  'expected a name relative to the zone, of letters, digits and hyphens (e.g. www)': 'ожидается имя относительно зоны из букв, цифр и дефисов (например www)',
  'name at least one name server, or leave the field empty for ns1 and ns2 of each zone': 'укажите хотя бы один сервер имён или оставьте поле пустым для ns1 и ns2 каждой зоны',
};
