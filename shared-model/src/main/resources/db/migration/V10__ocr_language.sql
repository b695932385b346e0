-- OCR results also by language: the same page read as 'deu' and as 'eng' gives two texts.
alter table ocr_cache add column language text not null default 'eng';
alter table ocr_cache drop constraint ocr_cache_pkey;
alter table ocr_cache add primary key (file_sha256, page, language);
