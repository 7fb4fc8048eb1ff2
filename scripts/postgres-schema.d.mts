export declare const POSTGRES_SCHEMA_FILE: string;
export declare function postgresSchema(text: string): string;
