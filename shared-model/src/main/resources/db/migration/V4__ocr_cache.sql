-- OCR results by the content hash of the file and the page, so that a retried job does not OCR again.
create table ocr_cache (
    file_sha256 text        not null,
    page        integer     not null,
    text        text        not null,
    created_at  timestamptz not null default now(),
    primary key (file_sha256, page)
);
grant select, insert, update, delete on ocr_cache to ${app_role};
